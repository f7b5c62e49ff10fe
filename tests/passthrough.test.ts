import { inProcessTarget, type SubgraphTarget, serviceUnavailable } from '@dcrm/kit';
import { createRouter, type Router } from '@dcrm/router/router.js';
import { loadSupergraph } from '@dcrm/schema';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { costPrefix, GENEROUS_COST, KEYS, productId, signIn, startTestStack, testIp } from './support/stack.js';
import { viewCallers } from './support/views.js';

/**
 * Single-fetch passthrough (router/src/passthrough.ts): two routers over the same subgraphs, one with
 * it and one without, must answer byte for byte the same; the passthrough must take single-fetch
 * queries only, and leave errors and outages to the gateway.
 */
let stack: Stack;
let on: Router;
let off: Router;
/** Passthrough without its fast path: every repeat goes through Apollo's plugin. */
let pluginOnly: Router;
/** Subgraphs every router reaches as unavailable while named here. */
const down = new Set<string>();
/** Calls to each subgraph while it was down (each is a request that might have been applied). */
const triedWhileDown = new Map<string, number>();

function downable(target: SubgraphTarget): SubgraphTarget {
  const refuse = () => {
    if (!down.has(target.name)) return;
    triedWhileDown.set(target.name, (triedWhileDown.get(target.name) ?? 0) + 1);
    throw serviceUnavailable(target.name);
  };
  return {
    name: target.name,
    ready: () => target.ready(),
    execute: async (req, principal) => {
      refuse();
      return target.execute(req, principal);
    },
    raw: async (req, principal) => {
      refuse();
      return target.raw(req, principal);
    },
  };
}

const routerWith = (passthrough: boolean, fastPath?: boolean) => {
  return createRouter({
    supergraphSdl: loadSupergraph(),
    targets: stack.subgraphs.map((s) => downable(inProcessTarget(s.server))),
    exposeSqlCount: true,
    bus: stack.bus,
    cost: { keyPrefix: costPrefix(), ...GENEROUS_COST },
    passthrough,
    fastPath,
  });
};

beforeAll(async () => {
  stack = await startTestStack();
  on = await routerWith(true);
  off = await routerWith(false);
  pluginOnly = await routerWith(true, false);
}, 120_000);

afterAll(async () => {
  await on?.stop();
  await off?.stop();
  await pluginOnly?.stop();
  await stack?.stop();
});

type Auth = Record<string, string>;
/** One request to a router: status and the body exactly as sent. */
async function send(router: Router, auth: Auth, query: string, variables?: Record<string, unknown>) {
  const res = await request(router.handler)
    .post('/graphql')
    .set({ 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9', ...auth })
    .send({ query, variables });
  return { status: res.status, text: res.text, body: res.body };
}

/** The same request to both routers, twice (the first plans it, the second may pass it through). */
async function both(auth: Auth, query: string, variables?: Record<string, unknown>) {
  await send(on, auth, query, variables);
  const before = await answeredIn(on);
  const a = await send(on, auth, query, variables);
  const passedThrough = (await answeredIn(on)) - before;
  const b = await send(off, auth, query, variables);
  // Cost extensions carry the bucket's remaining points, which differ between the two routers' buckets.
  const stable = (text: string) => text.replace(/"currentlyAvailable":\d+(\.\d+)?/, '"currentlyAvailable":0');
  return { on: { ...a, text: stable(a.text) }, off: { ...b, text: stable(b.text) }, passedThrough };
}

/** Queries the passthrough answered, all subgraphs together. */
async function answeredIn(router: Router) {
  const text = (await request(router.handler).get('/metrics')).text;
  return [...text.matchAll(/dcrm_passthrough_total\{[^}]*result="answered"[^}]*\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** The router's fetches from one subgraph so far. */
async function fetchesIn(router: Router, subgraph: string) {
  const text = (await request(router.handler).get('/metrics')).text;
  return Number(text.match(new RegExp(`dcrm_subgraph_fetch_duration_seconds_count\\{subgraph="${subgraph}"\\} (\\d+)`))?.[1] ?? 0);
}

const counted = async (router: Router) => {
  const text = (await request(router.handler).get('/metrics')).text;
  const count = (subgraph: string, result: string) =>
    Number(text.match(new RegExp(`dcrm_passthrough_total\\{subgraph="${subgraph}",result="${result}"\\} (\\d+)`))?.[1] ?? 0);
  return count;
};

/** Passthrough answers taken by `router` while `run` runs, per subgraph and result. */
async function taken(router: Router, subgraph: string, result: 'answered' | 'fallback', run: () => Promise<unknown>) {
  const before = (await counted(router))(subgraph, result);
  await run();
  return (await counted(router))(subgraph, result) - before;
}

const volt = { 'x-api-key': KEYS.volt };
const nimbus = { 'x-api-key': KEYS.nimbus };
const PRICE = 'price { amount { amount currencyCode } interval }';
const LISTING = `query Listing($first: Int!) { products(first: $first) { nodes { name slug ${PRICE} category { name } } } }`;
const DETAIL = `query Detail($slug: String!) {
  product(slug: $slug) { name slug kind description attributes { key label value unit } prices { type amount { amount currencyCode } interval } compatibleAddons { name slug ${PRICE} } }
}`;
const SEARCH = `query Search($first: Int!, $query: String!) {
  products(first: $first, query: $query) { totalCount nodes { name slug ${PRICE} }
    facets { kinds { kind count } categories { category { name } count } priceBands { band count } } }
}`;

describe('the same answers with and without passthrough', () => {
  const storefront: [string, string, Record<string, unknown>?][] = [
    ['listing', LISTING, { first: 24 }],
    ['detail', DETAIL, { slug: 'volt-sim-unlimited' }],
    ['search with facets', SEARCH, { first: 24, query: 'unlimited 5g' }],
    ['aliases', '{ a: products(first: 2) { nodes { n: name slug } } b: product(slug: "volt-sim-unlimited") { name } }'],
    ['fragments', 'query F { products(first: 3) { nodes { ...P } } } fragment P on Product { name ... on Product { slug } __typename }'],
    [
      '@include/@skip with variables',
      'query I($a: Boolean!, $b: Boolean!) { products(first: 3) { nodes { name slug @include(if: $a) kind @skip(if: $b) } } }',
      { a: true, b: true },
    ],
    ['__typename', '{ __typename products(first: 1) { __typename nodes { __typename name } } }'],
  ];
  for (const [name, query, variables] of storefront) {
    it(`storefront: ${name}`, async () => {
      const { on: a, off: b, passedThrough } = await both(volt, query, variables);
      expect(passedThrough).toBe(1);
      expect(a.status).toBe(200);
      expect(a.body.errors).toBeUndefined();
      expect(a.text).toBe(b.text);
    });
  }

  it('a signed-in customer, a partner and staff', async () => {
    const ip = testIp();
    const cases = await viewCallers(on.handler);
    for (const [auth, query] of cases) {
      const { on: a, off: b, passedThrough } = await both({ ...auth, 'x-forwarded-for': ip }, query);
      expect(passedThrough, query).toBe(1);
      expect(a.body.errors, query).toBeUndefined();
      expect(a.text, query).toBe(b.text);
    }
  });
});

describe('what the passthrough takes', () => {
  it('takes a single-fetch query, and only in the router that has it', async () => {
    await send(on, volt, LISTING, { first: 5 });
    expect(await taken(on, 'catalog', 'answered', () => send(on, volt, LISTING, { first: 5 }))).toBe(1);
    expect(await taken(off, 'catalog', 'answered', () => send(off, volt, LISTING, { first: 5 }))).toBe(0);
  });

  it('leaves multi-subgraph queries to the gateway', async () => {
    const customer = await signIn(on.handler, 'customerLogin', 'aoife@example.com', KEYS.volt);
    const auth = { ...volt, authorization: `Bearer ${customer.accessToken}` };
    const acrossSubgraphs = '{ me { name offers { nodes { id } } } }';
    await send(on, auth, acrossSubgraphs);
    for (const subgraph of ['customer', 'promotion', 'cart', 'catalog'])
      for (const result of ['answered', 'fallback'] as const)
        expect(await taken(on, subgraph, result, () => send(on, auth, acrossSubgraphs))).toBe(0);
  });

  it("takes a single-fetch mutation, answered as the gateway answers it (each cart's own ids aside)", async () => {
    const variables = { productId: productId('volt-sim-unlimited') };
    for (const router of [on, pluginOnly]) {
      const { a, b, passedThrough } = await mutationPair(router, variables);
      expect(passedThrough).toBe(1);
      expect(a.status).toBe(200);
      expect(a.body.data.cartCreate.cart.lines).toHaveLength(1);
      expect(a.body.data.cartCreate.cart.id).not.toBe(b.body.data.cartCreate.cart.id);
      expect(withoutIds(a.text)).toBe(withoutIds(b.text));
    }
  });
});

const CART_CREATE = `mutation ($productId: ID!) { cartCreate(input: { lines: [{ productId: $productId, quantity: 1 }] }) {
  cart { id status lines { id name quantity recurringPrice { amount currencyCode } } totals { monthly { amount currencyCode } dueNow { amount } } }
  userErrors { code field message } } }`;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const withoutIds = (text: string) => text.replace(UUID, '<id>').replace(/"currentlyAvailable":[\d.]+/, '');

/** `CART_CREATE` through `router` (its second time, so a passthrough takes it) and through the router without. */
async function mutationPair(router: Router, variables: Record<string, unknown>) {
  await send(router, volt, CART_CREATE, variables);
  const before = await answeredIn(router);
  const a = await send(router, volt, CART_CREATE, variables);
  const passedThrough = (await answeredIn(router)) - before;
  const b = await send(off, volt, CART_CREATE, variables);
  return { a, b, passedThrough };
}

describe('errors fall back to the gateway', () => {
  it("a subgraph's error (NOT_FOUND, BAD_USER_INPUT) answers exactly as without passthrough", async () => {
    for (const [query, variables] of [
      [DETAIL, { slug: 'nimbus-fibre-500' }],
      [LISTING, { first: 5000 }],
    ] as const) {
      let pair: Awaited<ReturnType<typeof both>> | undefined;
      const fetchesBefore = await fetchesIn(on, 'catalog');
      const fellBack = await taken(on, 'catalog', 'fallback', async () => {
        pair = await both(volt, query, variables);
      });
      expect(fellBack).toBe(2);
      // The gateway shapes the passed-through answer itself: each request reached catalog once, not twice.
      expect((await fetchesIn(on, 'catalog')) - fetchesBefore).toBe(2);
      expect(pair?.on.body.errors?.length).toBeGreaterThan(0);
      expect(pair?.on.status).toBe(pair?.off.status);
      expect(pair?.on.text).toBe(pair?.off.text);
    }
  });

  it('a subgraph that is down: the same SERVICE_UNAVAILABLE answer', async () => {
    await send(on, volt, LISTING, { first: 3 });
    down.add('catalog');
    try {
      const a = await send(on, volt, LISTING, { first: 3 });
      const b = await send(off, volt, LISTING, { first: 3 });
      expect(a.status).toBe(503);
      expect(a.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(a.text.replace(/"currentlyAvailable":[\d.]+/, '')).toBe(b.text.replace(/"currentlyAvailable":[\d.]+/, ''));
    } finally {
      down.delete('catalog');
    }
  });

  it('a mutation whose subgraph is down is sent once (it may have been applied), and answered as without passthrough', async () => {
    const variables = { productId: productId('volt-sim-unlimited') };
    // Taught first: `on` then answers by its fast path, `pluginOnly` by Apollo's plugin.
    await mutationPair(on, variables);
    await mutationPair(pluginOnly, variables);
    down.add('cart');
    try {
      const tries = async (router: Router) => {
        const before = triedWhileDown.get('cart') ?? 0;
        const res = await send(router, volt, CART_CREATE, variables);
        return { res, tries: (triedWhileDown.get('cart') ?? 0) - before };
      };
      const without = await tries(off);
      expect(without.tries).toBe(1);
      expect(without.res.status).toBe(503);
      expect(without.res.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      for (const router of [on, pluginOnly]) {
        const passed = await tries(router);
        expect(passed.tries).toBe(1);
        expect(withoutIds(passed.res.text)).toBe(withoutIds(without.res.text));
        expect(passed.res.status).toBe(503);
      }
    } finally {
      down.delete('cart');
    }
  });
});

describe('isolation through the passthrough', () => {
  it("a storefront key reads its own brand only: the other brand's product is NOT_FOUND, its list has none", async () => {
    const slugs = async () => {
      await send(on, nimbus, LISTING, { first: 100 });
      const res = await send(on, nimbus, LISTING, { first: 100 });
      return res.body.data.products.nodes.map((n: { slug: string }) => n.slug) as string[];
    };
    const listed = await slugs();
    expect(listed).toContain('nimbus-fibre-500');
    expect(listed).not.toContain('volt-sim-unlimited');
    await send(on, nimbus, DETAIL, { slug: 'volt-sim-unlimited' });
    const detail = await send(on, nimbus, DETAIL, { slug: 'volt-sim-unlimited' });
    expect(detail.body.data?.product ?? null).toBeNull();
    expect(detail.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it("a storefront key cannot put the other brand's product in a cart through a passed-through mutation", async () => {
    const variables = { productId: productId('volt-sim-unlimited') };
    await send(on, nimbus, CART_CREATE, variables);
    const before = await answeredIn(on);
    const res = await send(on, nimbus, CART_CREATE, variables);
    expect((await answeredIn(on)) - before).toBe(1);
    expect(res.body.data.cartCreate.cart).toBeNull();
    expect(res.body.data.cartCreate.userErrors.length).toBeGreaterThan(0);
    expect(withoutIds(res.text)).toBe(withoutIds((await send(off, nimbus, CART_CREATE, variables)).text));
  });

  it('the storefront view still refuses a staff-only field before anything is fetched', async () => {
    const query = '{ opportunities(first: 1) { nodes { id } } }';
    let res: Awaited<ReturnType<typeof send>> | undefined;
    const answered = await taken(on, 'opportunity', 'answered', async () => {
      await send(on, volt, query);
      res = await send(on, volt, query);
    });
    expect(answered).toBe(0);
    expect(res?.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
