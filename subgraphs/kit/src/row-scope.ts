import { type Principal, segmentsOf } from './principal.js';

/** Columns a customer-owned row carries so access can be decided without asking the customer subgraph. */
export type AccountRowFilter = {
  storefrontId: string;
  customerId?: string | { $in: string[] };
  partnerId?: string;
  segment?: { $in: string[] };
};

/**
 * Rows of accounts a principal may see, as a MikroORM filter (null: none): the customer's own, a
 * partner's accounts', staff's segments (`segment:*` for all), a service's whole storefront — always
 * within the principal's storefront. Rows copy the account's segment and partner when written.
 */
export function accountRowScope(principal: Principal): AccountRowFilter | null {
  const storefrontId = principal.storefrontId;
  if (!storefrontId) return null;
  if (principal.kind === 'customer' && principal.id) return { storefrontId, customerId: principal.id };
  if (principal.kind === 'partner' && principal.partnerId) return { storefrontId, partnerId: principal.partnerId };
  if (principal.kind === 'staff') {
    const segments = segmentsOf(principal);
    if (segments.includes('*')) return { storefrontId };
    return segments.length ? { storefrontId, segment: { $in: segments } } : null;
  }
  if (principal.kind === 'service') return { storefrontId };
  return null;
}
