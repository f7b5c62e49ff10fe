import { Checks, fail, mayActOn, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IStorefront, Storefront, StorefrontProduct } from '../entities/index.js';
import { knownProducts } from './brand-scope.js';
import type { ErrorCode, Result } from './catalog.errors.js';
import { refreshListAmounts } from './list-amount.js';

export type AssortmentUpdateInput = { storefrontId: string; addProductIds?: string[] | null; removeProductIds?: string[] | null };

/**
 * Adds (at the end of the merchandising order) and removes products; returns the new assortment size.
 * Only a storefront the caller may act on, and only products its brands already carry (another
 * brand's storefront or product answers like an unknown one).
 */
export async function assortmentUpdate(
  em: EntityManager,
  principal: Principal,
  input: AssortmentUpdateInput,
): Promise<Result<{ storefront: IStorefront; productCount: number }>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.storefrontId, ['input', 'storefrontId']);
  checks.uuids(input.addProductIds, ['input', 'addProductIds']);
  checks.uuids(input.removeProductIds, ['input', 'removeProductIds']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const storefront = mayActOn(principal, input.storefrontId) ? await em.findOne(Storefront, { id: input.storefrontId }) : null;
  if (!storefront) return fail('NOT_FOUND', 'No such storefront', ['input', 'storefrontId']);
  const add = input.addProductIds ?? [];
  if (add.length && (await knownProducts(em, principal, add)).size !== new Set(add).size)
    return fail('NOT_FOUND', 'No such product', ['input', 'addProductIds']);

  await em.transactional(async (tx) => {
    if (input.removeProductIds?.length)
      await tx.nativeDelete(StorefrontProduct, { storefront: storefront.id, product: { $in: input.removeProductIds } });
    if (add.length) {
      await tx.execute(
        `insert into "catalog"."storefront_product" (storefront_id, product_id, position)
         select ?, id, (select coalesce(max(position), -1) from "catalog"."storefront_product" where storefront_id = ?) + row_number() over ()
         from "catalog"."product" where id in (?) on conflict do nothing`,
        [storefront.id, storefront.id, add],
      );
      await refreshListAmounts(tx as EntityManager, add, storefront.id);
    }
  });
  return ok({ storefront, productCount: await em.count(StorefrontProduct, { storefront: storefront.id }) });
}
