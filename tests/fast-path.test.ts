import { inProcessTarget } from '@dcrm/kit';
import type { CostSettings } from '@dcrm/router/cost/budget.js';
import { createRouter, type Router } from '@dcrm/router/router.js';
import { loadSupergraph } from '@dcrm/schema';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { parseExposition, total } from './support/prometheus.js';
import { costPrefix, KEYS, productId, signIn, startTestStack, testIp } from './support/stack.js';
import { viewCallers } from './support/views.js';

/**
 * The router's fast path (router/src/fast-path.ts): a query the passthrough answered before is answered
 * again without Apollo's pipeline, and must be indistinguishable from the gateway's answer — body and
 * headers byte for byte, the same charge — while everything else (bad variables, throttling, another
 * view, errors) is still Apollo's.
 */
let stack: Stack;
let fast: Router;
let off: Router;
/** Fast path on, with a bucket of 100 points that refills only after 100 s. */
let tight: Router;

// Buckets that do not refill during the test: the same requests to two routers leave the same points.
const STILL: Partial<CostSettings> = { maximumAvailable: 1_000_000, restoreRate: 1_000 };

const routerWith = (passthrough: boolean, cost: Partial<CostSettings>) =>
  createRouter({
    supergraphSdl: loadSupergraph(),
    targets: stack.subgraphs.map((s) => inProcessTarget(s.server)),
    exposeSqlCount: true,
    bus: stack.bus,
    cost: { keyPrefix: costPrefix(), ...cost },
    passthrough,
  });

beforeAll(async () => {
  stack = await startTestStack();
  fast = await routerWith(true, STILL);
  off = await routerWith(false, STILL);
  tight = await routerWith(true, { maximumAvailable: 100, restoreRate: 1 });
}, 120_000);

afterAll(async () => {
  await fast?.stop();
  await off?.stop();
  await tight?.stop();
  await stack?.stop();
});

type Headers = Record<string, string>;
const DEV_SERVER = 'http://localhost:5173'; // a seeded storefront origin: CORS headers in the answer

type Body = { query: string; variables?: Record<string, unknown>; operationName?: string };

/** One request: status, body text and every header but the date. */
async function post(router: Router, headers: Headers, body: Body) {
  const res = await request(router.handler)
    .post('/graphql')
    .set({ 'content-type': 'application/json', 'x-request-id': 'fast-path-test', origin: DEV_SERVER, ...headers })
    .send(body);
  const { date: _date, ...sent } = res.headers as Headers;
  return { status: res.status, text: res.text, headers: sent, body: res.body };
}
type Answer = Awaited<ReturnType<typeof post>>;

const send = (router: Router, headers: Headers, query: string, variables?: Record<string, unknown>) =>
  post(router, headers, { query, variables });

/** The fast path's requests in `router`, by result. */
async function fastPath(router: Router) {
  const samples = parseExposition((await request(router.handler).get('/metrics')).text);
  const count = (result: string) => total(samples, 'dcrm_fast_path_total', { result });
  return { answered: count('answered'), declined: count('declined'), fallback: count('fallback') };
}

/** `run`'s effect on the fast path's counts in `router`. */
async function counting(router: Router, run: () => Promise<unknown>) {
  const before = await fastPath(router);
  await run();
  const after = await fastPath(router);
  return {
    answered: after.answered - before.answered,
    declined: after.declined - before.declined,
    fallback: after.fallback - before.fallback,
  };
}

/**
 * The same request twice to the fast router and twice to a router without passthrough, from one new
 * address (a bucket of its own in each): the second answers (the first may teach the fast path), and
 * what the fast path did with the second.
 */
async function twice(headers: Headers, body: Body) {
  const from = { 'x-forwarded-for': testIp(), ...headers };
  await post(fast, from, body);
  let a: Answer | undefined;
  const counted = await counting(fast, async () => {
    a = await post(fast, from, body);
  });
  await post(off, from, body);
  const b = await post(off, from, body);
  return { fast: a as Answer, off: b, counted };
}

const volt = { 'x-api-key': KEYS.volt };
const nimbus = { 'x-api-key': KEYS.nimbus };
const PRICE = 'price { amount { amount currencyCode } interval }';
const LISTING = `query Listing($first: Int!) { products(first: $first) { nodes { name slug ${PRICE} category { name } } } }`;
const DETAIL = `query Detail($slug: String!) {
  product(slug: $slug) { name slug kind description attributes { key label value unit } prices { type amount { amount currencyCode } interval } compatibleAddons { name slug ${PRICE} } }
}`;

describe('a repeated query is answered by the fast path, exactly as by the gateway', () => {
  const cases: [string, Headers, Body][] = [
    ['listing', volt, { query: LISTING, variables: { first: 24 } }],
    ['detail', volt, { query: DETAIL, variables: { slug: 'volt-sim-unlimited' } }],
    ['an operation name', volt, { query: 'query Named { products(first: 2) { nodes { slug } } }', operationName: 'Named' }],
    [
      '@include/@skip',
      volt,
      {
        query: 'query I($a: Boolean!) { products(first: 3) { nodes { name slug @include(if: $a) kind @skip(if: $a) } } }',
        variables: { a: true },
      },
    ],
    ['Accept-Language', { ...volt, 'accept-language': 'fr-CH, fr;q=0.9' }, { query: LISTING, variables: { first: 5 } }],
    ['another accept', { ...volt, accept: 'application/graphql-response+json' }, { query: LISTING, variables: { first: 5 } }],
  ];
  for (const [name, headers, body] of cases) {
    it(name, async () => {
      const { fast: a, off: b, counted } = await twice(headers, body);
      expect(counted.answered).toBe(1);
      expect(a.status).toBe(200);
      expect(a.body.errors).toBeUndefined();
      expect(a.body.extensions.cost.actualQueryCost).toBeGreaterThan(0);
      expect(a.text).toBe(b.text);
      expect(a.headers).toEqual(b.headers);
      expect(a.headers['access-control-allow-origin']).toBe(DEV_SERVER);
    });
  }

  it('a signed-in customer, a partner and staff (each view its own)', async () => {
    const cases = await viewCallers(fast.handler);
    for (const [headers, query] of cases) {
      const { fast: a, off: b, counted } = await twice(headers, { query });
      expect(counted.answered, query).toBe(1);
      expect(a.body.errors, query).toBeUndefined();
      expect(a.text, query).toBe(b.text);
      expect(a.headers, query).toEqual(b.headers);
    }
  });
});

describe('a repeated mutation is answered by the fast path, as by the gateway', () => {
  it('a new cart each time: the same body (its own ids aside) and headers', async () => {
    const body = {
      query: `mutation ($productId: ID!) { cartCreate(input: { lines: [{ productId: $productId, quantity: 1 }] }) {
        cart { id lines { id name quantity recurringPrice { amount currencyCode } } totals { monthly { amount } } } userErrors { code } } }`,
      variables: { productId: productId('volt-sim-unlimited') },
    };
    const { fast: a, off: b, counted } = await twice(volt, body);
    expect(counted.answered).toBe(1);
    expect(a.body.data.cartCreate.cart.lines).toHaveLength(1);
    expect(a.body.data.cartCreate.cart.id).not.toBe(b.body.data.cartCreate.cart.id);
    const withoutIds = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
    expect(withoutIds(a.text)).toBe(withoutIds(b.text));
    expect(a.headers).toEqual(b.headers);
  });
});

describe('what stays with Apollo', () => {
  it("variables that do not coerce: Apollo's own error, as without the passthrough", async () => {
    await send(fast, volt, LISTING, { first: 3 });
    for (const variables of [{ first: 'three' }, {}, { first: 3.5 }]) {
      const { fast: a, off: b, counted } = await twice(volt, { query: LISTING, variables });
      expect(counted).toEqual({ answered: 0, declined: 1, fallback: 0 });
      expect(a.status).toBe(b.status);
      expect(a.body.errors?.length).toBeGreaterThan(0);
      expect(a.text).toBe(b.text);
      expect(a.headers).toEqual(b.headers);
    }
  });

  it('a throttled caller gets THROTTLED, and every request is charged once', async () => {
    // 2 + 5 × (product, price, amount, category) = 22 points a request; 100 in the bucket.
    const from = { ...volt, 'x-forwarded-for': testIp() };
    const left: number[] = [];
    const counted = await counting(tight, async () => {
      for (let i = 0; i < 4; i++) {
        const res = await send(tight, from, LISTING, { first: 5 });
        expect(res.status).toBe(200);
        left.push(res.body.extensions.cost.throttleStatus.currentlyAvailable);
      }
    });
    expect(left).toEqual([78, 56, 34, 12]);
    expect(counted.answered).toBe(3);
    let refused: Answer | undefined;
    const declined = await counting(tight, async () => {
      refused = await send(tight, from, LISTING, { first: 5 });
    });
    expect(declined).toEqual({ answered: 0, declined: 1, fallback: 0 });
    expect(refused?.status).toBe(429);
    expect(refused?.headers['retry-after']).toBeDefined();
    expect(refused?.body.errors[0].extensions).toMatchObject({ code: 'THROTTLED', reason: 'BUDGET_EXHAUSTED' });
    expect(refused?.body.extensions.cost).toMatchObject({ requestedQueryCost: 22, actualQueryCost: null });
    expect(refused?.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(12);
    // The refusal took nothing (neither the fast path's nor Apollo's): a 1-point query leaves 11.
    const cheap = await send(tight, from, '{ storefront { name } }');
    expect(cheap.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(11);
  });

  it('an answer with errors is charged once, fetched once, and shaped by the gateway', async () => {
    const from = { ...volt, 'x-forwarded-for': testIp() };
    await send(tight, from, DETAIL, { slug: 'volt-sim-unlimited' });
    const fetches = async () =>
      total(parseExposition((await request(tight.handler).get('/metrics')).text), 'dcrm_subgraph_fetch_duration_seconds_count', {
        subgraph: 'catalog',
      });
    const before = await fetches();
    let missing: Answer | undefined;
    const counted = await counting(tight, async () => {
      missing = await send(tight, from, DETAIL, { slug: 'nimbus-fibre-500' });
    });
    expect(counted).toEqual({ answered: 0, declined: 0, fallback: 1 });
    expect((await fetches()) - before).toBe(1);
    expect(missing?.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const cost = missing?.body.extensions.cost;
    expect(cost.throttleStatus.currentlyAvailable).toBe(100 - 2 * cost.requestedQueryCost);
    const next = await send(tight, from, '{ storefront { name } }');
    expect(next.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(100 - 2 * cost.requestedQueryCost - 1);
  });
});

describe('isolation', () => {
  it("a storefront key is still refused staff's `opportunities` after staff's were answered by the fast path", async () => {
    const staff = await signIn(fast.handler, 'staffLogin', 'manager@volt.example');
    const query = '{ opportunities(first: 1) { nodes { id } } }';
    const asStaff = { authorization: `Bearer ${staff.accessToken}` };
    await send(fast, asStaff, query);
    expect((await counting(fast, () => send(fast, asStaff, query))).answered).toBe(1);
    for (let i = 0; i < 2; i++) {
      let res: Answer | undefined;
      const counted = await counting(fast, async () => {
        res = await send(fast, volt, query);
      });
      expect(counted.answered).toBe(0);
      expect(res?.body.data).toBeUndefined();
      expect(res?.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it("a Nimbus key sees no Volt product through Volt's remembered listing", async () => {
    await send(fast, volt, LISTING, { first: 100 });
    let res: Answer | undefined;
    const counted = await counting(fast, async () => {
      res = await send(fast, nimbus, LISTING, { first: 100 });
    });
    expect(counted.answered).toBe(1);
    const slugs = res?.body.data.products.nodes.map((n: { slug: string }) => n.slug) as string[];
    expect(slugs).toContain('nimbus-fibre-500');
    expect(slugs).not.toContain('volt-sim-unlimited');
    await send(fast, volt, DETAIL, { slug: 'volt-sim-unlimited' });
    const detail = await send(fast, nimbus, DETAIL, { slug: 'volt-sim-unlimited' });
    expect(detail.body.data?.product ?? null).toBeNull();
    expect(detail.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('refused credentials are answered by Apollo', async () => {
    await send(fast, volt, LISTING, { first: 2 });
    let res: Answer | undefined;
    const counted = await counting(fast, async () => {
      res = await send(fast, { 'x-api-key': 'dcrm_pk_nobody' }, LISTING, { first: 2 });
    });
    expect(counted.answered).toBe(0);
    expect(res?.status).toBe(401);
    expect(res?.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
