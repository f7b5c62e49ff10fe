import { entitiesOf, type Peers, type Principal } from '@dcrm/kit';

/** What an offer copies from the account (name for templates; segment and partner for staff and partner access). */
export type Account = { id: string; name: string; segment: string; partner: { id: string } | null };

/**
 * An account as the given principal may see it (staff: their segments; the promotion subgraph's own
 * service principal for event-driven offers). Null when not visible.
 */
export async function accountOf(peers: Peers, principal: Principal, customerId: string): Promise<Account | null> {
  const [account] = await entitiesOf<Account>(peers('customer'), principal, 'Customer', 'id name segment partner { id }', [customerId]);
  return account;
}

export type ProductInfo = { id: string; name: string; status: string };

/** A product of the caller's storefront as the catalog shows it to `principal`; null when not visible. */
export async function productOf(peers: Peers, principal: Principal, productId: string): Promise<ProductInfo | null> {
  const [product] = await entitiesOf<ProductInfo>(peers('catalog'), principal, 'Product', 'id name status', [productId]);
  return product;
}
