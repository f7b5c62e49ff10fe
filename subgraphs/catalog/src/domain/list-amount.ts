import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Recomputes `storefront_product.list_amount` (the storefront's list price, recurring first) for the
 * given products — in the caller's transaction, after any write to prices or assortments.
 */
export async function refreshListAmounts(em: EntityManager, productIds: string[] | 'all', storefrontId?: string): Promise<void> {
  if (productIds !== 'all' && !productIds.length) return;
  const params: unknown[] = productIds === 'all' ? [] : [productIds];
  if (storefrontId) params.push(storefrontId);
  const where = [productIds === 'all' ? 'true' : 'sp.product_id in (?)', storefrontId ? 'sp.storefront_id = ?' : 'true'].join(' and ');
  await em.execute(
    `update "catalog"."storefront_product" sp set list_amount = (
       select pr.amount from "catalog"."price" pr join "catalog"."price_list" pl on pl.id = pr.price_list_id
       where pr.product_id = sp.product_id and pl.storefront_id = sp.storefront_id and pl.customer_id is null and pl.segment is null
       order by pr.type = 'RECURRING' desc limit 1)
     where ${where}`,
    params,
  );
}
