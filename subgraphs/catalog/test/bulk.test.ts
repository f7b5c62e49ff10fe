import { type BootedSubgraph, newId, SERVICE_SCOPES, seedId, servicePrincipal } from '@dcrm/kit';
import { principals } from '@dcrm/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productId, storefrontId } from '../src/seed/index.js';
import { bootCatalog, codes, gql } from './helpers.js';

/** catalog's bulk action through its own handler: service-only fields, brand scope, at most one apply per (operation, batch). */
const VOLT = storefrontId('volt');
const VOLT_LIST = seedId('price-list', 'volt');
const NIMBUS_LIST = seedId('price-list', 'nimbus');

let catalog: BootedSubgraph;
beforeAll(async () => {
  catalog = await bootCatalog();
});
afterAll(async () => {
  await catalog.server.stop();
  await catalog.orm.close();
});

const VALIDATE = `query ($input: BulkValidateInput!) { _bulkValidate(input: $input) { row value problems { field code } } }`;
const APPLY = `mutation ($input: BulkApplyInput!) { _bulkApply(input: $input) { row ok id problem { code } } }`;
const service = servicePrincipal('customer', VOLT, [SERVICE_SCOPES.bulkApply]);
const row = (data: Record<string, unknown>, n = 1) => ({ row: n, data: JSON.stringify(data) });
const amountOf = async () =>
  (
    (await catalog.orm.em
      .fork()
      .getConnection()
      .execute(`select amount from catalog.price where price_list_id = ? and product_id = ? and type = 'RECURRING'`, [
        VOLT_LIST,
        productId('volt-sim-50gb'),
      ])) as { amount: string }[]
  )[0]?.amount;

describe('_bulkValidate / _bulkApply', () => {
  it('are for the customer subgraph only: staff and services without bulk:apply are refused', async () => {
    const input = { action: 'price.update', rows: [] };
    expect(codes(await gql(catalog, principals.staff(VOLT), VALIDATE, { input }))).toContain('FORBIDDEN');
    expect(codes(await gql(catalog, servicePrincipal('cart', VOLT, []), VALIDATE, { input }))).toContain('FORBIDDEN');
  });

  it("validates within the signed storefront: another brand's list is not found", async () => {
    const rows = [
      row({ priceListId: VOLT_LIST, product: 'volt-sim-50gb', type: 'RECURRING', amount: '30.00', interval: 'MONTH' }, 1),
      row({ priceListId: NIMBUS_LIST, product: 'volt-sim-50gb', type: 'RECURRING', amount: '1.00', interval: 'MONTH' }, 2),
    ];
    const res = await gql(catalog, service, VALIDATE, { input: { action: 'price.update', rows } });
    expect(res.body.data?._bulkValidate).toEqual([
      { row: 1, value: expect.any(String), problems: [] },
      { row: 2, value: null, problems: [{ field: 'priceListId', code: 'NOT_FOUND' }] },
    ]);
  });

  it('answers each valid row its key (list, product, type), whatever names the product, for in-file duplicates across calls', async () => {
    const price = { priceListId: VOLT_LIST, type: 'RECURRING', amount: '30.00', interval: 'MONTH' };
    const rows = [row({ ...price, product: 'volt-sim-50gb' }, 1), row({ ...price, product: productId('volt-sim-50gb') }, 2)];
    const res = await gql(
      catalog,
      service,
      `query ($input: BulkValidateInput!) { _bulkValidate(input: $input) { row keys { reason value field } } }`,
      {
        input: { action: 'price.update', rows },
      },
    );
    const key = { reason: 'LIST_PRODUCT_TYPE', value: `${VOLT_LIST}|${productId('volt-sim-50gb')}|RECURRING`, field: 'product' };
    // The same key for both: the orchestration, not this call, decides that row 2 repeats row 1.
    expect(res.body.data?._bulkValidate).toEqual([
      { row: 1, keys: [key] },
      { row: 2, keys: [key] },
    ]);
  });

  it('applies a batch once: a second call for the same (operation, batch) answers the recorded outcomes and writes nothing', async () => {
    const value = { priceListId: VOLT_LIST, productId: productId('volt-sim-50gb'), type: 'RECURRING', amount: '31.00', interval: 'MONTH' };
    const input = {
      action: 'price.update',
      operationId: newId(),
      batch: 0,
      rows: [row({ ...value, deposit: null, taxCategory: 'STANDARD' })],
    };
    const first = await gql(catalog, service, APPLY, { input });
    expect(first.body.data?._bulkApply).toEqual([{ row: 1, ok: true, id: expect.any(String), problem: null }]);
    expect(await amountOf()).toBe('31.00');
    // The same batch again, with other values (as a buggy or replayed job might send): the record wins.
    const again = { ...input, rows: [row({ ...value, amount: '99.00', deposit: null, taxCategory: 'STANDARD' })] };
    expect((await gql(catalog, service, APPLY, { input: again })).body.data?._bulkApply).toEqual(first.body.data?._bulkApply);
    expect(await amountOf()).toBe('31.00');
  });
});
