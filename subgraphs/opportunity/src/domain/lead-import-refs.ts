import {
  type BulkLink,
  type BulkProblem,
  type BulkRowKey,
  type ContactKeys,
  catalogLoader,
  isServiceUnavailable,
  loggerFor,
  type Peers,
  problem,
  servicePrincipal,
} from '@dcrm/kit';
import { accountsByIdentities, type IdentifiedAccount } from '../clients/customer.js';

/**
 * What an imported lead refers to in other subgraphs, checked as lead capture checks it but for a whole
 * validation call (≤ 250 rows) at once: its interest products in the storefront's catalog (one batched
 * `_entities` call through kit's catalog loader) and the existing account it is (one `_customersByIdentity`
 * call; e-mail first, then mobile, as `matchAccount`). Plus the row's keys for in-file duplicates.
 */

/** The product ids, of these, the storefront's catalog does not have (one catalog call for all of them). */
export async function unknownProducts(peers: Peers, storefrontId: string, ids: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Set();
  const products = await catalogLoader(peers('catalog'), servicePrincipal('opportunity', storefrontId, [])).loadMany(unique);
  const unknown = new Set<string>();
  products.forEach((p, i) => {
    if (p instanceof Error) throw p;
    if (!p) unknown.add(unique[i]);
  });
  return unknown;
}

export const unknownProductProblem = (ids: readonly string[]): BulkProblem =>
  problem('UNKNOWN_PRODUCT', `No such product in this storefront: ${ids.join(', ')}`, 'productIds');

export type AccountMatch = { account: IdentifiedAccount; reason: 'EMAIL' | 'MOBILE' };

/**
 * Each contact's existing account of the storefront (by e-mail first, then mobile), keyed by the contact's
 * position. While the customer service is down the leads are kept unmatched, as at capture.
 */
export async function matchAccounts(
  peers: Peers,
  storefrontId: string,
  contacts: readonly { email: string | null; mobile: string | null }[],
): Promise<(AccountMatch | null)[]> {
  const emails = [...new Set(contacts.flatMap((c) => (c.email ? [c.email] : [])))];
  const mobiles = [...new Set(contacts.flatMap((c) => (c.mobile ? [c.mobile] : [])))];
  let accounts: IdentifiedAccount[];
  try {
    accounts = await accountsByIdentities(peers, storefrontId, { emails, mobiles });
  } catch (error) {
    if (!isServiceUnavailable(error)) throw error;
    loggerFor('opportunity').warn('customer unavailable: imported leads kept without an account match');
    return contacts.map(() => null);
  }
  const byEmail = new Map(accounts.map((a) => [a.email.toLowerCase(), a]));
  const byMobile = new Map(accounts.flatMap((a) => (a.mobile ? [[a.mobile, a] as const] : [])));
  return contacts.map(({ email, mobile }) => {
    const viaEmail = email ? byEmail.get(email) : undefined;
    if (viaEmail) return { account: viaEmail, reason: 'EMAIL' };
    const viaMobile = mobile ? byMobile.get(mobile) : undefined;
    return viaMobile ? { account: viaMobile, reason: 'MOBILE' } : null;
  });
}

export const accountLink = (match: AccountMatch): BulkLink => ({ type: 'Customer', id: match.account.id, reason: match.reason });

/**
 * A lead's identities within its upload, one per duplicate reason of kit contact-match (EMAIL, MOBILE,
 * NAME_AND_ADDRESS, NAME_AND_INTEREST per product): two rows share a key exactly when `duplicateReasons`
 * would find a reason between them.
 */
export function leadRowKeys(keys: ContactKeys): BulkRowKey[] {
  const out: BulkRowKey[] = [];
  if (keys.email) out.push({ reason: 'EMAIL', value: keys.email, field: 'email' });
  if (keys.mobile) out.push({ reason: 'MOBILE', value: keys.mobile, field: 'mobile' });
  if (keys.name && keys.address) out.push({ reason: 'NAME_AND_ADDRESS', value: `${keys.name}\n${keys.address}`, field: 'lastName' });
  if (keys.name) for (const i of keys.interests) out.push({ reason: 'NAME_AND_INTEREST', value: `${keys.name}\n${i}`, field: 'lastName' });
  return out;
}
