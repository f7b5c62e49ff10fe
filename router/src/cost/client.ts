import type { Identity } from '../authenticate.js';
import type { CostBudget } from './budget.js';

/** Whose bucket an HTTP request spends from, and its size. */
export type CostClient = { subject: string; budget: CostBudget };

/**
 * Signed-in people by their own id; server-side (PRIVATE) keys by key, with the key's own budget when
 * it has one; a PUBLIC storefront key is shipped to every shopper of a brand, so its callers are told
 * apart by address too (the key's budget applies to each); no credentials: the address alone.
 */
export function costClient(identity: Identity, defaults: CostBudget): CostClient {
  const { principal, keyId, key } = identity;
  const ip = principal.clientIp ?? 'unknown';
  if ((principal.kind === 'customer' || principal.kind === 'staff') && principal.id)
    return { subject: `${principal.kind}:${principal.id}`, budget: defaults };
  const budget = key?.costBudget ?? defaults;
  if (keyId && key?.kind === 'PRIVATE') return { subject: `key:${keyId}`, budget };
  if (principal.kind === 'partner' && principal.partnerId) return { subject: `partner:${principal.partnerId}`, budget: defaults };
  if (keyId) return { subject: `key:${keyId}:ip:${ip}`, budget };
  return { subject: `ip:${ip}`, budget: defaults };
}
