import type { EntityManager } from '@mikro-orm/postgresql';
import { type StoreView, storeView } from './views.js';

/** The stores among `ids` that belong to the storefront (another brand's store is simply absent). */
export async function storesByIds(em: EntityManager, storefrontId: string, ids: readonly string[]): Promise<StoreView[]> {
  const rows = await em.execute('select *, null as distance_km from "catalog"."store" where id in (?) and storefront_id = ?', [
    [...ids],
    storefrontId,
  ]);
  return rows.map(storeView);
}
