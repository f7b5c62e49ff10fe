import { entitiesOf, type Principal, type SubgraphTarget } from '@dcrm/kit';

/** A product's monthly price as the catalog sets it for the account (never the client's). */
export type MonthlyPrice = { id: string; name: string; status: string; monthly: string | null; currencyCode: string | null };

type ProductEntity = {
  id: string;
  name: string;
  status: string;
  prices: { type: 'RECURRING' | 'ONE_OFF'; amount: { amount: string; currencyCode: string } }[];
};

/** Monthly prices of products, asked of the catalog as `principal` (the account's pricing principal; null where it may not see one). */
export async function monthlyPrices(
  catalog: SubgraphTarget,
  principal: Principal,
  productIds: readonly string[],
): Promise<(MonthlyPrice | null)[]> {
  const products = await entitiesOf<ProductEntity>(
    catalog,
    principal,
    'Product',
    'id name status prices { type amount { amount currencyCode } }',
    productIds,
  );
  return products.map((p) => {
    if (!p) return null;
    const recurring = p.prices.find((price) => price.type === 'RECURRING');
    return {
      id: p.id,
      name: p.name,
      status: p.status,
      monthly: recurring?.amount.amount ?? null,
      currencyCode: recurring?.amount.currencyCode ?? null,
    };
  });
}
