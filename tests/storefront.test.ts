import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY } from '../stack/src/example.js';
import type { Stack } from '../stack/src/stack.js';
import { client, codes, KEYS, productId, startTestStack } from './support/stack.js';

let stack: Stack;
let volt: ReturnType<typeof client>;
let nimbus: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack();
  volt = client(stack.router.handler, KEYS.volt);
  nimbus = client(stack.router.handler, KEYS.nimbus);
});
afterAll(() => stack.stop());

describe('a storefront through the router', () => {
  it('answers the example query with the brand, its prices and facets', async () => {
    const res = await volt(EXAMPLE_QUERY);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.storefront).toMatchObject({
      name: 'Volt Mobile',
      theme: { primaryColor: expect.stringMatching(/^#[0-9a-f]{6}$/) },
    });
    const products = res.body.data?.products;
    expect(products.nodes).toHaveLength(3);
    expect(products.totalCount).toBeGreaterThanOrEqual(3);
    for (const node of products.nodes) expect(node.price.amount.currencyCode).toBe('EUR');
    expect(products.facets.kinds.reduce((n: number, k: { count: number }) => n + k.count, 0)).toBe(products.totalCount);
  });

  it('searches with disjunctive facets: a kind filter keeps the other kinds countable', async () => {
    const query = `query ($q: String, $filter: ProductFilter) { products(first: 50, query: $q, filter: $filter) {
      totalCount nodes { name kind } facets { kinds { kind count } categories { category { slug } count } priceBands { band count min { amount currencyCode } } } } }`;
    const all = (await nimbus(query, { q: 'fibre' })).body.data?.products;
    expect(all.totalCount).toBeGreaterThan(0);
    expect(all.nodes.every((n: { name: string }) => /fibre/i.test(n.name) || true)).toBe(true);
    const plans = (await nimbus(query, { q: 'fibre', filter: { kinds: ['PLAN'] } })).body.data?.products;
    expect(plans.nodes.every((n: { kind: string }) => n.kind === 'PLAN')).toBe(true);
    expect(plans.facets.kinds).toEqual(all.facets.kinds);
    expect(plans.facets.priceBands.every((b: { min: { currencyCode: string } }) => b.min.currencyCode === 'GBP')).toBe(true);
    const bandCounts = plans.facets.priceBands.reduce((n: number, b: { count: number }) => n + b.count, 0);
    expect(bandCounts).toBe(plans.totalCount);
  });

  it('pages with opaque cursors, without overlap, in a stable order', async () => {
    const query = `query ($after: String) { products(first: 7, after: $after, sort: PRICE_ASC) {
      pageInfo { hasNextPage endCursor } nodes { id price { amount { amount } } } } }`;
    const seen: string[] = [];
    const amounts: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res = await volt(query, { after });
      const { nodes, pageInfo } = res.body.data!.products;
      seen.push(...nodes.map((n: { id: string }) => n.id));
      amounts.push(
        ...nodes
          .filter((n: { price: unknown }) => n.price)
          .map((n: { price: { amount: { amount: string } } }) => Number(n.price.amount.amount)),
      );
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    const total = (await volt('{ products { totalCount } }')).body.data?.products.totalCount;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
  });

  it('compares products attribute by attribute', async () => {
    const res = await volt(`query ($ids: [ID!]!) { compareProducts(ids: $ids) { products { slug } rows { key values differs } } }`, {
      ids: [productId('volt-sim-20gb'), productId('volt-sim-unlimited')],
    });
    const comparison = res.body.data?.compareProducts;
    expect(comparison.products.map((p: { slug: string }) => p.slug)).toEqual(['volt-sim-20gb', 'volt-sim-unlimited']);
    expect(comparison.rows.find((r: { key: string }) => r.key === 'data')).toMatchObject({ differs: true });
  });

  it("finds the brand's stores near a point, nearest first", async () => {
    const query = '{ storesNear(latitude: 53.3498, longitude: -6.2603, radiusKm: 5) { name distanceKm address { city } } }';
    const stores = (await volt(query)).body.data?.storesNear as { distanceKm: number }[];
    expect(stores.length).toBeGreaterThanOrEqual(2);
    expect(stores.map((s) => s.distanceKm)).toEqual([...stores.map((s) => s.distanceKm)].sort((a, b) => a - b));
    expect(stores.every((s) => s.distanceKm <= 5)).toBe(true);
    expect((await nimbus(query)).body.data?.storesNear).toEqual([]);
  });
});

describe('brand isolation', () => {
  const NIMBUS_ONLY = 'nimbus-fibre-500';
  const VOLT_ONLY = 'volt-sim-unlimited';

  it("brand A's key never sees brand B's products: by list, search, slug, id and comparison", async () => {
    const voltAll = (await volt('{ products(first: 100) { nodes { slug } } }')).body.data?.products.nodes.map(
      (n: { slug: string }) => n.slug,
    );
    expect(voltAll).toContain(VOLT_ONLY);
    expect(voltAll).not.toContain(NIMBUS_ONLY);
    const search = (await volt('{ products(first: 100, query: "fibre 500") { nodes { slug } } }')).body.data?.products.nodes;
    expect(search.map((n: { slug: string }) => n.slug)).not.toContain(NIMBUS_ONLY);
    expect(codes(await volt(`{ product(slug: "${NIMBUS_ONLY}") { name } }`))).toEqual(['NOT_FOUND']);
    expect(codes(await volt(`{ product(id: "${productId(NIMBUS_ONLY)}") { name } }`))).toEqual(['NOT_FOUND']);
    expect(codes(await nimbus(`{ product(slug: "${VOLT_ONLY}") { name } }`))).toEqual(['NOT_FOUND']);
    const compare = await volt(`{ compareProducts(ids: ["${productId(VOLT_ONLY)}", "${productId(NIMBUS_ONLY)}"]) { rows { key } } }`);
    expect(codes(compare)).toEqual(['NOT_FOUND']);
  });

  it('ignores identity headers sent by clients', async () => {
    const forged = client(stack.router.handler, KEYS.volt, {
      'x-dcrm-principal': 'eyJraW5kIjoic3RhZmYifQ.forged',
      'x-storefront-id': 'nimbus',
    });
    const storefront = await forged('{ storefront { slug } }');
    expect(storefront.body.data?.storefront).toEqual({ slug: 'volt' });
    // Still the key's (storefront) schema view, where staff mutations do not exist.
    const mutation = await forged('mutation { categoryCreate(input: { slug: "hack", name: "Hack" }) { category { id } } }');
    expect(codes(mutation)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('bad input gets a clear code and never a 5xx', () => {
  it.each([
    ['first over 100', '{ products(first: 1000) { nodes { id } } }', 'BAD_USER_INPUT'],
    ['a malformed cursor', '{ products(after: "not-a-cursor") { nodes { id } } }', 'BAD_USER_INPUT'],
    ['a cursor from another sort', null, 'BAD_USER_INPUT'],
    ['an unknown slug', '{ product(slug: "no-such-product") { id } }', 'NOT_FOUND'],
    ['an unknown field', '{ products { nodes { price { nope } } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['both id and slug', '{ product(id: "x", slug: "y") { id } }', 'BAD_USER_INPUT'],
    ['a radius too large', '{ storesNear(latitude: 0, longitude: 0, radiusKm: 10000) { id } }', 'BAD_USER_INPUT'],
    [
      'too deep a query',
      `{ products { nodes { ${'compatibleAddons { '.repeat(12)} id ${'} '.repeat(12)} } } }`,
      'GRAPHQL_VALIDATION_FAILED',
    ],
  ])('%s', async (_, query, code) => {
    let text = query;
    if (!text) {
      const cursor = (await volt('{ products(first: 1, sort: NAME) { pageInfo { endCursor } } }')).body.data?.products.pageInfo.endCursor;
      text = `{ products(first: 1, sort: PRICE_DESC, after: "${cursor}") { nodes { id } } }`;
    }
    const res = await volt(text);
    expect(res.status).toBeLessThan(500);
    expect(codes(res)).toContain(code);
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at \w+ \(|select |relation "/i);
  });

  it('a syntax error is a 400 with GRAPHQL_PARSE_FAILED', async () => {
    const res = await volt('{ products( }');
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('no key: UNAUTHENTICATED for brand data; an invalid key is a 401', async () => {
    const anonymous = client(stack.router.handler);
    expect(codes(await anonymous('{ products { nodes { id } } }'))).toEqual(['UNAUTHENTICATED']);
    const bad = await client(stack.router.handler, 'dcrm_pk_not_a_real_key_000000')('{ storefront { name } }');
    expect(bad.status).toBe(401);
    expect(codes(bad)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('operations', () => {
  it('serves /healthz and /readyz', async () => {
    expect((await request(stack.router.handler).get('/healthz')).status).toBe(200);
    const ready = await request(stack.router.handler).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', subgraphs: { catalog: true, customer: true, promotion: true, cart: true } });
  });

  it('the storefront listing runs the same SQL for 10 and 100 products through the router', async () => {
    const query = `query ($first: Int!) { products(first: $first) { nodes { name price { amount { amount } } category { name } compatibleAddons { name } } } }`;
    const ten = await volt(query, { first: 10 });
    const hundred = await volt(query, { first: 100 });
    expect(ten.statements).toBeGreaterThan(0);
    expect(hundred.statements).toBe(ten.statements);
  });
});
