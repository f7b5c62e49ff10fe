import { entitiesOf, type Peers, type Principal, servicePrincipal } from '@dcrm/kit';

// Calls to the catalog subgraph, which owns products and prices.

/** A product as priced for an opportunity: its unit prices (null: none of that type) and currency. */
export type PricedProduct = {
  id: string;
  name: string;
  kind: string;
  status: string;
  oneOff: string | null;
  monthly: string | null;
  currency: string | null;
};

type Entity = {
  id: string;
  name: string;
  kind: string;
  status: string;
  prices: { type: 'RECURRING' | 'ONE_OFF'; amount: { amount: string; currencyCode: string } }[];
};

/**
 * Products of a storefront's assortment with the prices its `segment` pays (segment list, else list
 * price), asked as this subgraph's service principal for that storefront and segment: never prices a
 * client sent, and not the staff member's own segments. Null where the storefront has no such product.
 */
export async function priceProducts(peers: Peers, storefrontId: string, segment: string, ids: string[]): Promise<(PricedProduct | null)[]> {
  const principal: Principal = { ...servicePrincipal('opportunity', storefrontId, []), roles: [`segment:${segment}`] };
  const entities = await entitiesOf<Entity>(
    peers('catalog'),
    principal,
    'Product',
    'id name kind status prices { type amount { amount currencyCode } }',
    ids,
  );
  return entities.map((e) => {
    if (!e) return null;
    const monthly = e.prices.find((p) => p.type === 'RECURRING');
    const oneOff = e.prices.find((p) => p.type === 'ONE_OFF');
    return {
      id: e.id,
      name: e.name,
      kind: e.kind,
      status: e.status,
      oneOff: oneOff?.amount.amount ?? null,
      monthly: monthly?.amount.amount ?? null,
      currency: (monthly ?? oneOff)?.amount.currencyCode ?? null,
    };
  });
}
