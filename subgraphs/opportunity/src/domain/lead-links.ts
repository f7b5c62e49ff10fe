import { type Checks, isServiceUnavailable, isUuid, loggerFor, type Principal } from '@dcrm/kit';
import { visibleProducts } from '../clients/catalog.js';
import { type Account, accountByIdentity } from '../clients/customer.js';
import { campaignOf } from '../clients/promotion.js';
import { MAX_PRODUCTS } from './lead-input.js';
import type { ErrorCode } from './opportunity.errors.js';
import type { OpportunityServices } from './services.js';

/**
 * What a lead names in other subgraphs, checked before its transaction: its products (as the caller
 * sees the catalog) and its campaign (the storefront's). Problems go to `checks`.
 */
export async function checkReferences(
  services: OpportunityServices,
  principal: Principal,
  storefrontId: string,
  refs: { productIds?: string[]; campaignId?: string | null },
  checks: Checks<ErrorCode>,
): Promise<void> {
  // Only well-formed ids are asked about (the others are already reported).
  const ids = refs.productIds ?? [];
  const askProducts = ids.length > 0 && ids.length <= MAX_PRODUCTS && ids.every(isUuid);
  const [products, campaign] = await Promise.all([
    askProducts ? visibleProducts(services.peers, principal, ids) : Promise.resolve([]),
    refs.campaignId && isUuid(refs.campaignId) ? campaignOf(services.peers, storefrontId, refs.campaignId) : Promise.resolve(undefined),
  ]);
  products.forEach((p, i) => {
    if (!p) checks.add('NOT_FOUND', 'No such product', ['input', 'productIds', String(i)]);
  });
  if (campaign === null) checks.add('NOT_FOUND', 'No such campaign', ['input', 'campaignId']);
}

/**
 * The storefront's existing account with the lead's email (first) or mobile, or null. A lead is never
 * lost to an outage: while the customer service is down it is kept unmatched.
 */
export async function matchAccount(
  services: OpportunityServices,
  storefrontId: string,
  contact: { email?: string | null; mobile?: string | null },
): Promise<Account | null> {
  try {
    if (contact.email) {
      const byEmail = await accountByIdentity(services.peers, storefrontId, { email: contact.email });
      if (byEmail) return byEmail;
    }
    return contact.mobile ? await accountByIdentity(services.peers, storefrontId, { mobile: contact.mobile }) : null;
  } catch (error) {
    if (!isServiceUnavailable(error)) throw error;
    loggerFor('opportunity').warn('customer unavailable: lead kept without an account match');
    return null;
  }
}
