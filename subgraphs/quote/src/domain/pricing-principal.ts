import { forAccount, type Principal, SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';

/**
 * Who the catalog prices a quote's lines or a contract's products for — never a customer's identity,
 * whoever the caller is: the quote service of the brand carrying the account (`Principal.account`,
 * signed with the rest) and scope `pricing:account`, so the catalog prices as that account pays (its
 * negotiated list, its own segment's prices); for a prospect, the same service with the prospect's
 * segment and no account (the storefront's and the segment's prices, never an account's). The account
 * is the quote's or contract's own, which the customer subgraph let the caller reach when it was made.
 * Only ever used to read products and prices.
 */
export function pricingPrincipal(buyer: { storefrontId: string; customerId?: string | null; segment: string }): Principal {
  if (!buyer.customerId) return { ...servicePrincipal('quote', buyer.storefrontId, []), roles: [`segment:${buyer.segment}`] };
  return forAccount(servicePrincipal('quote', buyer.storefrontId, [SERVICE_SCOPES.accountPricing]), {
    customerId: buyer.customerId,
    segment: buyer.segment,
  });
}
