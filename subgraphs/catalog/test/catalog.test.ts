import { type BootedSubgraph, PRINCIPAL_HEADER, type Principal, seedId, signPrincipal } from '@dcrm/kit';
import { principals } from '@dcrm/kit/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES } from '../src/seed/demo-data.js';
import { categoryId, productId, storefrontId } from '../src/seed/index.js';
import { bootCatalog, codes, gql } from './helpers.js';

const VOLT = storefrontId('volt');
const NIMBUS = storefrontId('nimbus');
// Carried by Volt only / Nimbus only (see seed/demo-data.ts).
const VOLT_ONLY = productId('volt-sim-unlimited');
const NIMBUS_ONLY = productId('nimbus-fibre-500');
const storeOf = (brand: 'volt' | 'nimbus') => {
  const store = STORES.find((s) => s.brand === brand)!;
  return { id: seedId('store', `${store.brand}:${store.name}`), name: store.name };
};

let catalog: BootedSubgraph;
beforeAll(async () => {
  catalog = await bootCatalog();
});
afterAll(async () => {
  await catalog.server.stop();
  await catalog.orm.close();
});

describe('requests that did not come through the router', () => {
  it.each([
    ['a query', '{ products(first: 1) { nodes { id } } }'],
    ['_service', '{ _service { sdl } }'],
    ['_entities', `{ _entities(representations: [{ __typename: "Product", id: "${VOLT_ONLY}" }]) { ... on Product { name } } }`],
  ])('%s without a principal is 401', async (_, query) => {
    const result = await gql(catalog, null, query);
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.body.data ?? null).toBeNull();
  });

  it('a principal signed with another secret is 401', async () => {
    const body = { query: '{ _service { sdl } }' };
    const forged = signPrincipal(principals.staff(null, ['*']), 'not-the-secret-but-long-enough-to-look-real', {
      audience: 'catalog',
      body,
    });
    const response = await request(catalog.server.handler)
      .post('/graphql')
      .set({ [PRINCIPAL_HEADER]: forged, 'content-type': 'application/json' })
      .send(body);
    expect(response.status).toBe(401);
  });
});

describe('_entities', () => {
  const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Product { id name price { amount { amount currencyCode } } } } }`;
  const reps = [
    { __typename: 'Product', id: VOLT_ONLY },
    { __typename: 'Product', id: NIMBUS_ONLY },
  ];

  it("resolves products of the caller's brand and nulls for another brand's", async () => {
    const volt = await gql(catalog, principals.shopper(VOLT), query, { reps });
    expect(volt.body.data?._entities[0]).toMatchObject({ id: VOLT_ONLY, price: { amount: { currencyCode: 'EUR' } } });
    expect(volt.body.data?._entities[1]).toBeNull();
    const nimbus = await gql(catalog, principals.shopper(NIMBUS), query, { reps });
    expect(nimbus.body.data?._entities[0]).toBeNull();
    expect(nimbus.body.data?._entities[1]).toMatchObject({ id: NIMBUS_ONLY, price: { amount: { currencyCode: 'GBP' } } });
  });

  it("never resolves another brand's storefront", async () => {
    const result = await gql(
      catalog,
      principals.shopper(VOLT),
      `{ _entities(representations: [{ __typename: "Storefront", id: "${NIMBUS}" }]) { ... on Storefront { name } } }`,
    );
    expect(result.body.data?._entities).toEqual([null]);
  });
});

describe('_entities of every entity type', () => {
  const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
    ... on Storefront { id currencyCode } ... on Store { id name } ... on Category { id slug } ... on Product { id } } }`;
  const volt = storeOf('volt');
  const nimbus = storeOf('nimbus');

  it("resolves the caller's storefront, its brand's stores and categories; another brand's are null", async () => {
    const reps = [
      { __typename: 'Storefront', id: VOLT },
      { __typename: 'Storefront', id: NIMBUS },
      { __typename: 'Store', id: volt.id },
      { __typename: 'Store', id: nimbus.id },
      { __typename: 'Category', id: categoryId('sim-only-plans') },
      { __typename: 'Product', id: VOLT_ONLY },
    ];
    const result = await gql(catalog, principals.shopper(VOLT), query, { reps });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?._entities).toEqual([
      { id: VOLT, currencyCode: 'EUR' },
      null,
      { id: volt.id, name: volt.name },
      null,
      { id: categoryId('sim-only-plans'), slug: 'sim-only-plans' },
      { id: VOLT_ONLY },
    ]);
  });

  it('services see any storefront', async () => {
    const service: Principal = { kind: 'service', id: 'test-service', storefrontId: VOLT, partnerId: null, roles: [], scopes: [] };
    const reps = [{ __typename: 'Storefront', id: NIMBUS }];
    const result = await gql(catalog, service, query, { reps });
    expect(result.body.data?._entities).toEqual([{ id: NIMBUS, currencyCode: 'GBP' }]);
  });

  it('an id that is not a uuid resolves to null, not an error', async () => {
    const reps = ['Storefront', 'Store', 'Product'].map((__typename) => ({ __typename, id: 'not-a-uuid' }));
    const result = await gql(catalog, principals.shopper(VOLT), query, { reps });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?._entities).toEqual([null, null, null]);
  });

  it('stores and storefronts load in one statement each, however many are asked', async () => {
    const one = await gql(catalog, principals.shopper(VOLT), query, { reps: [{ __typename: 'Store', id: volt.id }] });
    const ids = STORES.filter((s) => s.brand === 'volt').map((s) => ({ __typename: 'Store', id: seedId('store', `volt:${s.name}`) }));
    const all = await gql(catalog, principals.shopper(VOLT), query, { reps: ids });
    expect(all.body.data?._entities.every((e: unknown) => e !== null)).toBe(true);
    expect(all.statements).toBe(one.statements);
  });
});

describe('SQL statements per request do not grow with the page size', () => {
  const listing = `query ($first: Int!) { products(first: $first) {
    nodes { id name category { name parent { name } } price { amount { amount } } prices { type } compatibleAddons { name } bundleItems { name } }
  } }`;
  const nested = `query ($first: Int!) { products(first: $first) { nodes { name compatibleAddons { name price { amount { amount } } category { name } } } } }`;

  it('products(first: 100) runs as many statements as first: 10', async () => {
    const ten = await gql(catalog, principals.shopper(VOLT), listing, { first: 10 });
    const hundred = await gql(catalog, principals.shopper(VOLT), listing, { first: 100 });
    expect(ten.body.errors).toBeUndefined();
    expect(hundred.body.data?.products.nodes.length).toBeGreaterThan(10);
    expect(ten.statements).toBeGreaterThan(0);
    expect(hundred.statements).toBe(ten.statements);
  });

  // One batched statement per nesting level; a bigger page can only hit DataLoader's cache more.
  it('nested add-on prices never cost more statements on a bigger page', async () => {
    const ten = await gql(catalog, principals.shopper(VOLT), nested, { first: 10 });
    const hundred = await gql(catalog, principals.shopper(VOLT), nested, { first: 100 });
    expect(hundred.body.errors).toBeUndefined();
    expect(hundred.statements).toBeLessThanOrEqual(ten.statements);
  });

  it('so does _entities for 2 vs 40 products', async () => {
    const all = (await gql(catalog, principals.shopper(VOLT), '{ products(first: 40) { nodes { id } } }')).body.data?.products.nodes as {
      id: string;
    }[];
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Product { name price { amount { amount } } category { name } } } }`;
    const few = await gql(catalog, principals.shopper(VOLT), query, {
      reps: all.slice(0, 2).map((p) => ({ __typename: 'Product', id: p.id })),
    });
    const many = await gql(catalog, principals.shopper(VOLT), query, { reps: all.map((p) => ({ __typename: 'Product', id: p.id })) });
    expect(many.statements).toBe(few.statements);
  });
});

describe('pricing', () => {
  it('gives a B2B account its negotiated price and everyone else the list price', async () => {
    const query = `{ product(slug: "volt-sim-unlimited") { price { amount { amount } priceList { scope } } } }`;
    const shopper = await gql(catalog, principals.shopper(VOLT), query);
    const acme = await gql(catalog, principals.customer(seedId('customer', 'acme-telecom-buyers'), VOLT), query);
    expect(shopper.body.data?.product.price.priceList.scope).toBe('STOREFRONT');
    expect(acme.body.data?.product.price.priceList.scope).toBe('ACCOUNT');
    expect(Number(acme.body.data?.product.price.amount.amount)).toBeLessThan(Number(shopper.body.data?.product.price.amount.amount));
  });
});

describe('staff mutations', () => {
  const create = `mutation ($input: ProductCreateInput!) { productCreate(input: $input) {
    product { id slug status } userErrors { field message code } } }`;
  const base = (slug: string) => ({ slug, name: 'Test plan', kind: 'PLAN', description: 'A plan for tests', storefrontIds: [VOLT] });

  it('are refused to shoppers and to staff without catalog:write', async () => {
    expect(codes(await gql(catalog, principals.shopper(VOLT), create, { input: base('refused-1') }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(catalog, principals.staff(VOLT, ['catalog:read']), create, { input: base('refused-2') }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('create, publish and archive a product; shoppers see it only while ACTIVE', async () => {
    const staff = principals.staff(VOLT);
    const created = await gql(catalog, staff, create, { input: base('test-lifecycle-plan') });
    expect(created.body.data?.productCreate).toMatchObject({ product: { slug: 'test-lifecycle-plan', status: 'DRAFT' }, userErrors: [] });
    const id = created.body.data?.productCreate.product.id;
    const shopperView = `{ product(slug: "test-lifecycle-plan") { id } }`;
    expect(codes(await gql(catalog, principals.shopper(VOLT), shopperView))).toEqual(['NOT_FOUND']);

    const publish = await gql(
      catalog,
      staff,
      `mutation { productUpdate(input: { id: "${id}", status: ACTIVE }) { product { status } userErrors { code } } }`,
    );
    expect(publish.body.data?.productUpdate).toEqual({ product: { status: 'ACTIVE' }, userErrors: [] });
    expect((await gql(catalog, principals.shopper(VOLT), shopperView)).body.data?.product).toEqual({ id });
    expect(codes(await gql(catalog, principals.shopper(NIMBUS), shopperView))).toEqual(['NOT_FOUND']);

    const archive = await gql(
      catalog,
      staff,
      `mutation { productArchive(input: { id: "${id}" }) { product { status } userErrors { code } } }`,
    );
    expect(archive.body.data?.productArchive.product.status).toBe('ARCHIVED');
    expect(codes(await gql(catalog, principals.shopper(VOLT), shopperView))).toEqual(['NOT_FOUND']);
    const revive = await gql(
      catalog,
      staff,
      `mutation { productUpdate(input: { id: "${id}", status: ACTIVE }) { product { status } userErrors { code field } } }`,
    );
    expect(revive.body.data?.productUpdate.userErrors).toEqual([{ code: 'INVALID_TRANSITION', field: ['input', 'status'] }]);
  });

  it('answer bad input with every userError at once and write nothing', async () => {
    const staff = principals.staff(VOLT);
    const input = {
      ...base('Bad Slug!'),
      name: '  ',
      compatibleAddonIds: [VOLT_ONLY, 'not-a-uuid'],
      attributes: [
        { key: 'data', label: 'Data', value: '1' },
        { key: 'data', label: 'Data', value: '2' },
      ],
    };
    const result = await gql(catalog, staff, create, { input });
    expect(result.body.data?.productCreate.product).toBeNull();
    const errors = result.body.data?.productCreate.userErrors as { code: string; field: string[] }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'INVALID', field: ['input', 'slug'] }),
        expect.objectContaining({ code: 'BLANK', field: ['input', 'name'] }),
        expect.objectContaining({ code: 'INVALID', field: ['input', 'compatibleAddonIds', '1'] }),
        expect.objectContaining({ code: 'DUPLICATE', field: ['input', 'attributes', '1', 'key'] }),
      ]),
    );
    const notAddon = await gql(catalog, staff, create, { input: { ...base('test-not-addon'), compatibleAddonIds: [VOLT_ONLY] } });
    expect(notAddon.body.data?.productCreate.userErrors).toEqual([
      { field: ['input', 'compatibleAddonIds', '0'], code: 'INVALID', message: 'Only ADDON products can be compatible add-ons' },
    ]);
    const taken = await gql(catalog, staff, create, { input: base('volt-sim-unlimited') });
    expect(taken.body.data?.productCreate.userErrors).toMatchObject([{ code: 'TAKEN', field: ['input', 'slug'] }]);
    const count = await catalog.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as n from "catalog"."product" where slug in ('test-not-addon', 'bad slug!')`);
    expect(count[0].n).toBe(0);
  });

  it('priceSet validates and upserts one row per list, product and type', async () => {
    const staff = principals.staff(VOLT);
    const list = seedId('price-list', 'volt');
    const set = `mutation ($input: PriceSetInput!) { priceSet(input: $input) { price { amount { amount currencyCode } interval } userErrors { code field } } }`;
    const created = await gql(catalog, staff, create, { input: base('test-priced-plan') });
    const id = created.body.data?.productCreate.product.id;
    const first = await gql(catalog, staff, set, {
      input: { priceListId: list, productId: id, type: 'RECURRING', amount: '12.50', interval: 'MONTH' },
    });
    expect(first.body.data?.priceSet).toEqual({
      price: { amount: { amount: '12.50', currencyCode: 'EUR' }, interval: 'MONTH' },
      userErrors: [],
    });
    const second = await gql(catalog, staff, set, {
      input: { priceListId: list, productId: id, type: 'RECURRING', amount: '11', interval: 'MONTH' },
    });
    expect(second.body.data?.priceSet.price.amount.amount).toBe('11.00');
    const bad = await gql(catalog, staff, set, {
      input: { priceListId: list, productId: id, type: 'ONE_OFF', amount: '1.999', interval: 'MONTH' },
    });
    expect(bad.body.data?.priceSet.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'amount'] },
      { code: 'INVALID', field: ['input', 'interval'] },
    ]);
    const rows = await catalog.orm.em
      .fork()
      .getConnection()
      .execute('select count(*)::int as n from "catalog"."price" where product_id = ?', [id]);
    expect(rows[0].n).toBe(1);
    // Listing, price sort and price bands read the maintained headline price.
    const [assortment] = await catalog.orm.em
      .fork()
      .getConnection()
      .execute('select list_amount from "catalog"."storefront_product" where product_id = ? and storefront_id = ?', [id, VOLT]);
    expect(assortment.list_amount).toBe('11.00');
    const notDecimal = await gql(catalog, staff, set, { input: { priceListId: list, productId: id, type: 'ONE_OFF', amount: 'ten' } });
    expect(codes(notDecimal)).toEqual(['BAD_USER_INPUT']);
  });
});
