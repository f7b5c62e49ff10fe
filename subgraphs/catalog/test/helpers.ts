import { type BootedSubgraph, newId, type Principal, SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import { bootForTest, gql, principals } from '@dcrm/kit/testing';
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

/**
 * Sets monthly prices on `priceList` through the bulk `price.update` action, as the customer subgraph's
 * bulk job applies them (one batch); returns the per-row answers.
 */
export async function applyMonthlyPrices(
  catalog: BootedSubgraph,
  storefrontId: string,
  priceList: string,
  prices: [productId: string, amount: string][],
) {
  const service = servicePrincipal('customer', storefrontId, [SERVICE_SCOPES.bulkApply]);
  const rows = prices.map(([productId, amount], i) => ({
    row: i + 1,
    data: JSON.stringify({
      priceListId: priceList,
      productId,
      type: 'RECURRING',
      amount,
      interval: 'MONTH',
      deposit: null,
      taxCategory: 'STANDARD',
    }),
  }));
  const applied = await gql(catalog, service, `mutation ($input: BulkApplyInput!) { _bulkApply(input: $input) { ok } }`, {
    input: { action: 'price.update', operationId: newId(), batch: 0, rows },
  });
  return applied.body.data?._bulkApply;
}
