import type { BootedSubgraph, Principal } from '@dcrm/kit';
import { bootForTest, principals } from '@dcrm/kit/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { inject } from 'vitest';
import { storefrontCreate } from '../src/domain/storefront-create.js';
import { catalogSubgraph } from '../src/index.js';

export { codes, gql } from '@dcrm/kit/testing';

export const bootCatalog = (): Promise<BootedSubgraph> => bootForTest(catalogSubgraph, inject('databaseUrl'));

/** Raw SQL on a fresh fork of the subgraph's EntityManager. */
export const sqlOn =
  (catalog: BootedSubgraph) =>
  (text: string, params: unknown[] = []) =>
    catalog.orm.em.fork().getConnection().execute(text, params);

/**
 * A booted catalog with a storefront of the test file's own (other files write the demo storefronts'
 * products meanwhile): its id, its price list and a staff principal granted it.
 */
export async function bootWithOwnStorefront(slug: string, name: string) {
  const catalog = await bootCatalog();
  const created = await storefrontCreate(catalog.orm.em.fork() as EntityManager, { slug, name, currencyCode: 'EUR', locale: 'en-IE' });
  if (!created.ok) throw new Error('storefront not created');
  const sql = sqlOn(catalog);
  const [{ id: priceList }] = await sql('select id from catalog.price_list where storefront_id = ?', [created.value.id]);
  const staff: Principal = principals.staff(created.value.id);
  const stop = async () => {
    await catalog.server.stop();
    await catalog.orm.close();
  };
  return { catalog, sql, storefrontId: created.value.id, priceList: priceList as string, staff, stop };
}
