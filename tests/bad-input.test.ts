import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { inProcessTarget, introspectionEnabled } from '@dcrm/kit';
import { loadSupergraph } from '@dcrm/schema';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../router/src/router.js';
import type { Stack } from '../stack/src/stack.js';
import { connectLive, refusalCode, subscribeLive } from './support/live.js';
import { client, codes, KEYS, type Response, signIn, startTestStack, testIp } from './support/stack.js';

/** Hostile input through the router: a clear 4xx with a code, never a 5xx, nothing written. */
let stack: Stack;
let shopper: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startTestStack();
  shopper = client(stack.router.handler, KEYS.volt, { 'x-forwarded-for': testIp() });
});
afterAll(() => stack.stop());

const post = (body: object, handler = stack.router.handler) =>
  request(handler).post('/graphql').set({ 'content-type': 'application/json', 'x-api-key': KEYS.volt }).send(body);

const refusedWith = (res: Response, code: string) => {
  expect(res.status).toBe(400);
  expect(codes(res)).toEqual([code]);
};

describe('null bytes', () => {
  const LOGIN = 'mutation ($input: LoginInput!) { customerLogin(input: $input) { accessToken userErrors { code } } }';

  it('in a variable: BAD_USER_INPUT before any SQL, for a query and for customerLogin', async () => {
    const product = await shopper('query ($slug: String!) { product(slug: $slug) { id } }', { slug: 'a\u0000b' });
    refusedWith(product, 'BAD_USER_INPUT');
    expect(product.statements).toBe(-1); // screened before Apollo: no SQL counted, no header
    refusedWith(await shopper(LOGIN, { input: { email: 'a\u0000b@example.com', password: 'x' } }), 'BAD_USER_INPUT');
  });

  it('in an inline literal (\\u0000 and \\u{0} escapes): BAD_USER_INPUT', async () => {
    refusedWith(await shopper('{ product(slug: "a\\u0000b") { id } }'), 'BAD_USER_INPUT');
    refusedWith(await shopper('mutation { customerLogin(input: { email: "a\\u{0}b", password: "x" }) { accessToken } }'), 'BAD_USER_INPUT');
  });

  it('ordinary escapes and block strings still work', async () => {
    const res = await shopper('{ product(slug: "no-such-\\u0041") { id } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ product: null });
  });

  it('a subgraph reached directly refuses them too', async () => {
    const catalog = stack.subgraphs.find((s) => s.definition.name === 'catalog');
    if (!catalog) throw new Error('no catalog subgraph');
    const res = await request(catalog.server.handler)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: 'query ($slug: String!) { product(slug: $slug) { id } }', variables: { slug: '\u0000' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('automatic persisted queries', () => {
  const QUERY = '{ storefront { id } }';
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');

  it('a malformed or mismatched hash is a BAD_REQUEST (400), not a 500', async () => {
    for (const sha256Hash of ['not-a-hash', 42, 'A'.repeat(64), sha('{ other }')]) {
      const res = await post({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash } } });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['BAD_REQUEST']);
    }
    const noVersion = await post({ extensions: { persistedQuery: { sha256Hash: sha(QUERY) } } });
    expect(noVersion.status).toBe(400);
  });

  it('a well-formed hash works: unknown → PERSISTED_QUERY_NOT_FOUND, registered → the result', async () => {
    const query = `{ storefront { id } } # ${randomUUID()}`;
    const hash = { persistedQuery: { version: 1, sha256Hash: sha(query) } };
    const unknown = await post({ extensions: hash });
    expect(unknown.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await post({ query, extensions: hash })).body.data?.storefront.id).toBeTruthy();
    expect((await post({ extensions: hash })).body.data?.storefront.id).toBeTruthy();
  });
});

describe('runaway nesting', () => {
  it('a 5,000-deep selection is "query too deep" (400), not a stack overflow', async () => {
    const deep = `{ ${'me { '.repeat(5000)}id${' }'.repeat(5000)} }`;
    const res = await shopper(deep);
    refusedWith(res, 'GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0].message).toMatch(/too deep/);
  });

  it('so is a 5,000-deep list literal, while brackets inside strings and comments do not count', async () => {
    refusedWith(await shopper(`{ product(slug: ${'['.repeat(5000)}"x"${']'.repeat(5000)}) { id } }`), 'GRAPHQL_VALIDATION_FAILED');
    const braces = '{'.repeat(200);
    const res = await shopper(`# ${braces}\n{ product(slug: "${braces}") { id } }`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ product: null });
  });
});

describe('the subscription socket', () => {
  it('screens subscriptions the same way: too deep, null bytes', async () => {
    const server = await stack.router.listen(0, '127.0.0.1');
    const live = connectLive(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, { 'x-api-key': KEYS.volt });
    try {
      const deep = subscribeLive(live, `subscription { storefrontOffers { ${'product { '.repeat(5000)}id${' }'.repeat(5000)} } }`);
      await deep.until(() => deep.completed);
      expect(refusalCode(deep)).toBe('GRAPHQL_VALIDATION_FAILED');
      const nul = subscribeLive(live, 'subscription ($t: String) { storefrontOffers { id title @include(if: true) } }', { t: '\u0000' });
      await nul.until(() => nul.completed);
      expect(refusalCode(nul)).toBe('BAD_USER_INPUT');
    } finally {
      await live.dispose();
    }
  });
});

describe('introspection and landing page', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';
  const routers: Router[] = [];
  const routerWith = async (introspection: boolean) => {
    const router = await createRouter({
      supergraphSdl: loadSupergraph(),
      targets: stack.subgraphs.map((s) => inProcessTarget(s.server)),
      bus: stack.bus,
      introspection,
    });
    routers.push(router);
    return router;
  };
  afterAll(async () => {
    for (const router of routers) await router.stop();
  });

  it('are off in production unless DCRM_INTROSPECTION=1', async () => {
    expect(introspectionEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(introspectionEnabled({ NODE_ENV: 'production', DCRM_INTROSPECTION: '1' })).toBe(true);
    expect(introspectionEnabled({ NODE_ENV: 'development' })).toBe(true);

    const closed = await routerWith(introspectionEnabled({ NODE_ENV: 'production' }));
    const refused = await post({ query: INTROSPECT }, closed.handler);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await request(closed.handler).get('/graphql').set('accept', 'text/html');
    expect(page.text).not.toMatch(/<html/i);
    expect((await post({ query: '{ storefront { id } }' }, closed.handler)).body.data?.storefront.id).toBeTruthy();

    const open = await routerWith(introspectionEnabled({ NODE_ENV: 'production', DCRM_INTROSPECTION: '1' }));
    expect((await post({ query: INTROSPECT }, open.handler)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await request(open.handler).get('/graphql').set('accept', 'text/html')).text).toMatch(/<html/i);
  });
});

describe('numeric inputs are bounded', () => {
  const sql = async (name: string, query: string, params: unknown[]) => {
    const em = stack.subgraphs.find((s) => s.definition.name === name)?.orm.em.fork();
    return (em as NonNullable<typeof em>).getConnection().execute(query, params);
  };

  it('offer score 101 and promotion usageLimit 0 are userErrors, and nothing is written', async () => {
    const staff = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    const title = `Too good ${randomUUID().slice(0, 8)}`;
    const offer = await staff.gql(
      'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code field } } }',
      {
        input: { template: { title, message: 'Really' }, score: 101 },
      },
    );
    expect(offer.body.data?.offerCreate).toEqual({ offer: null, userErrors: [{ code: 'OUT_OF_RANGE', field: ['input', 'score'] }] });
    expect(await sql('promotion', 'select id from "promotion"."offer" where title = ?', [title])).toEqual([]);

    const name = `Never usable ${randomUUID().slice(0, 8)}`;
    const promotion = await staff.gql(
      'mutation ($input: PromotionCreateInput!) { promotionCreate(input: $input) { promotion { id } userErrors { code field } } }',
      { input: { name, usageLimit: 0, perCustomerLimit: -1, actions: [{ type: 'PERCENT_OFF', percent: 10, target: 'RECURRING' }] } },
    );
    expect(promotion.body.data?.promotionCreate.promotion).toBeNull();
    expect(promotion.body.data?.promotionCreate.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'usageLimit'] },
      { code: 'INVALID', field: ['input', 'perCustomerLimit'] },
    ]);
    expect(await sql('promotion', 'select id from "promotion"."promotion" where name = ?', [name])).toEqual([]);
  });
});
