import type { EntityManager } from '@mikro-orm/postgresql';
import { type StoreView, storeView } from './views.js';

/** The storefront's currency code; `XXX` (ISO 4217 "no currency") when it does not exist. */
export async function storefrontCurrency(em: EntityManager, storefrontId: string): Promise<string> {
  const [row] = await em.execute('select currency_code from "catalog"."storefront" where id = ?', [storefrontId]);
  return (row?.currency_code as string) ?? 'XXX';
}

/** The stores among `ids` that belong to the storefront (another brand's store is simply absent). */
export async function storesByIds(em: EntityManager, storefrontId: string, ids: readonly string[]): Promise<StoreView[]> {
  const rows = await em.execute('select *, null as distance_km from "catalog"."store" where id in (?) and storefront_id = ?', [
    [...ids],
    storefrontId,
  ]);
  return rows.map(storeView);
}
