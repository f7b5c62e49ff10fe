import type { AddressInfo } from 'node:net';
import { inProcessTarget, redisAnswers, SQL_COUNT_HEADER } from '@dcrm/kit';
import { loadSupergraph } from '@dcrm/schema';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../router/src/router.js';
import type { Stack } from '../stack/src/stack.js';
import { connectLive, refusalCode, subscribeLive } from './support/live.js';
import { costPrefix, distinctCodes, KEYS, PRIVATE_KEYS, signIn, startTestStack, testIp } from './support/stack.js';

/** Query cost and rate limits through the router (rules in router/src/cost/calculate.ts). */
let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

type Handler = Parameters<typeof request>[0];

/** POST /graphql with a key (and a client address of its own), returning status, headers and body. */
async function post(handler: Handler, key: string | undefined, query: string, variables?: Record<string, unknown>, ip = testIp()) {
  const req = request(handler).post('/graphql').set({ 'content-type': 'application/json', 'x-forwarded-for': ip });
  if (key) req.set('x-api-key', key);
  const res = await req.send({ query, variables });
  return {
    status: res.status,
    retryAfter: res.headers['retry-after'] as string | undefined,
    statements: Number(res.headers[SQL_COUNT_HEADER] ?? -1),
    body: res.body as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
      extensions?: { cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: Record<string, number> } };
    },
  };
}

// 2 + 100 × (product 1 + category 1) = 202
const PAGE = 'query Page($first: Int!) { products(first: $first) { nodes { name category { name } } } }';

describe('extensions.cost', () => {
  it('every reply carries the calculated cost and the bucket after it', async () => {
    const res = await post(stack.router.handler, KEYS.volt, PAGE, { first: 10 });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.extensions?.cost).toEqual({
      requestedQueryCost: 22,
      actualQueryCost: 22,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2000 - 22, restoreRate: 100 },
    });
  });
});

describe('the single-query maximum', () => {
  it('30 aliases × products(first: 100) with nested lists: 429 THROTTLED, nothing executed', async () => {
    const aliases = Array.from(
      { length: 30 },
      (_, i) => `p${i}: products(first: 100) { nodes { name prices { amount { amount } } compatibleAddons { name category { name } } } }`,
    );
    const ip = testIp();
    // The key is verified (one statement) before; the refused query must add none.
    await post(stack.router.handler, KEYS.volt, '{ storefront { name } }', undefined, ip);
    const res = await post(stack.router.handler, KEYS.volt, `{ ${aliases.join(' ')} }`, undefined, ip);
    expect(res.status).toBe(429);
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'THROTTLED', reason: 'MAX_COST_EXCEEDED' });
    expect(res.body.data).toBeUndefined();
    expect(res.statements).toBe(0);
    expect(Number(res.retryAfter)).toBeGreaterThan(0);
    expect(res.body.extensions?.cost).toMatchObject({ requestedQueryCost: 30 * (2 + 100 * 5), actualQueryCost: null });
    // Refused whole, it took nothing from the bucket.
    expect(res.body.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(2000 - 1);
  });

  it('a subscription over the maximum is refused at subscribe (THROTTLED)', async () => {
    const server = await stack.router.listen(0, '127.0.0.1');
    const live = connectLive(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, { 'x-api-key': KEYS.volt });
    try {
      const costly = subscribeLive(
        live,
        // 20 × 20 × 20 offers: over the maximum (Product.offers pages hold at most 20).
        'subscription { storefrontOffers { product { offers(first: 20) { nodes { product { offers(first: 20) { nodes { product { offers(first: 20) { nodes { id } } } } } } } } } } }',
      );
      await costly.until(() => costly.completed);
      expect(refusalCode(costly)).toBe('THROTTLED');
      const cheap = subscribeLive(live, 'subscription { storefrontOffers { id product { name } } }');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(cheap.errors).toEqual([]);
      cheap.dispose();
    } finally {
      await live.dispose();
      server.close();
    }
  });
});

/** Sends PAGE(first: 100) until THROTTLED (or `limit` tries); returns the replies. */
async function burst(handler: Handler, key: string, limit = 40, ip = testIp()) {
  const replies: Awaited<ReturnType<typeof post>>[] = [];
  for (let i = 0; i < limit; i++) {
    const res = await post(handler, key, PAGE, { first: 100 }, ip);
    replies.push(res);
    if (res.status === 429) break;
  }
  return replies;
}

describe('the bucket', () => {
  it('a burst from one key runs it down to THROTTLED with Retry-After; another key is unaffected', async () => {
    const replies = await burst(stack.router.handler, PRIVATE_KEYS.voltChatbot);
    const last = replies[replies.length - 1];
    expect(last.status).toBe(429);
    expect(last.body.errors?.[0].extensions).toMatchObject({ code: 'THROTTLED', reason: 'BUDGET_EXHAUSTED' });
    expect(last.body.data).toBeUndefined();
    expect(Number(last.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(last.retryAfter)).toBeLessThanOrEqual(20);
    // 2000 points hold at most 9 queries of 202.
    expect(replies.length - 1).toBeLessThanOrEqual(9);
    expect(last.body.extensions?.cost?.throttleStatus.currentlyAvailable).toBeLessThan(202);

    const other = await post(stack.router.handler, PRIVATE_KEYS.connectifyPartner, PAGE, { first: 100 });
    expect(other.status).toBe(200);
    expect(other.body.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(2000 - 202);
    // The same private key from another address is still the same bucket.
    expect((await post(stack.router.handler, PRIVATE_KEYS.voltChatbot, PAGE, { first: 100 })).status).toBe(429);
  });

  it('a public storefront key is counted per shopper address', async () => {
    const ip = testIp();
    const replies = await burst(stack.router.handler, KEYS.volt, 40, ip);
    expect(replies[replies.length - 1].status).toBe(429);
    const otherShopper = await post(stack.router.handler, KEYS.volt, PAGE, { first: 100 });
    expect(otherShopper.status).toBe(200);
  });

  it('a signed-in customer spends from their own bucket', async () => {
    const aoife = await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt);
    const res = await aoife.gql('{ me { name } }');
    expect(res.body.errors).toBeUndefined();
    const replies = await burst(stack.router.handler, KEYS.volt);
    expect(replies[replies.length - 1].status).toBe(429);
    expect((await aoife.gql('{ me { name } }')).status).toBe(200);
  });
});

describe('per-key budgets', () => {
  const CREATE = `mutation ($input: ApiKeyCreateInput!) {
    apiKeyCreate(input: $input) { secret apiKey { id costBudget { maximumAvailable restoreRate } } userErrors { code field } }
  }`;
  const SET = `mutation ($input: ApiKeyCostBudgetSetInput!) {
    apiKeyCostBudgetSet(input: $input) { apiKey { id costBudget { maximumAvailable restoreRate } } userErrors { code field } }
  }`;
  const SMALL = 'query Small { products(first: 10) { nodes { name category { name } } } }'; // 22

  it('a budget set through the API applies to the key, and a change applies at once', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const created = (
      await manager(CREATE, { input: { kind: 'PRIVATE', name: 'Tight bot', costBudget: { maximumAvailable: 50, restoreRate: 1 } } })
    ).body.data?.apiKeyCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.apiKey.costBudget).toEqual({ maximumAvailable: 50, restoreRate: 1 });
    const key = created.secret as string;

    const first = await post(stack.router.handler, key, SMALL);
    expect(first.body.extensions?.cost?.throttleStatus).toEqual({ maximumAvailable: 50, currentlyAvailable: 28, restoreRate: 1 });
    expect((await post(stack.router.handler, key, SMALL)).status).toBe(200);
    const third = await post(stack.router.handler, key, SMALL);
    expect(third.status).toBe(429);
    expect(third.body.errors?.map((e) => e.extensions?.code)).toEqual(['THROTTLED']);
    // More than the key's bucket could ever hold is over its single-query maximum.
    const big = await post(stack.router.handler, key, PAGE, { first: 100 });
    expect(big.body.errors?.[0].extensions).toMatchObject({ code: 'THROTTLED', reason: 'MAX_COST_EXCEEDED' });

    const raised = (await manager(SET, { input: { id: created.apiKey.id, costBudget: { maximumAvailable: 5000, restoreRate: 250 } } })).body
      .data?.apiKeyCostBudgetSet;
    expect(raised).toMatchObject({ userErrors: [], apiKey: { costBudget: { maximumAvailable: 5000, restoreRate: 250 } } });
    const after = await post(stack.router.handler, key, PAGE, { first: 100 });
    expect(after.status).toBe(200);
    expect(after.body.extensions?.cost?.throttleStatus).toMatchObject({ maximumAvailable: 5000, restoreRate: 250 });

    const reset = (await manager(SET, { input: { id: created.apiKey.id, costBudget: null } })).body.data?.apiKeyCostBudgetSet;
    expect(reset.apiKey.costBudget).toBeNull();
    const defaults = await post(stack.router.handler, key, SMALL);
    expect(defaults.body.extensions?.cost?.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
  });

  it('validates budgets; partners cannot size their own keys', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const bad = (await manager(CREATE, { input: { kind: 'PRIVATE', name: 'Odd', costBudget: { maximumAvailable: 5, restoreRate: 10 } } }))
      .body.data?.apiKeyCreate;
    expect(bad.secret).toBeNull();
    expect(bad.userErrors).toEqual([
      { code: 'OUT_OF_RANGE', field: ['input', 'costBudget', 'maximumAvailable'] },
      { code: 'OUT_OF_RANGE', field: ['input', 'costBudget', 'restoreRate'] },
    ]);
    const partner = (await signIn(stack.router.handler, 'partnerLogin', 'ops@skyline.example')).gql;
    const own = (
      await partner(CREATE, {
        input: { kind: 'PRIVATE', name: 'Greedy', costBudget: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 } },
      })
    ).body.data?.apiKeyCreate;
    expect(own.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['input', 'costBudget'] }]);
    const set = await partner(SET, { input: { id: '00000000-0000-0000-0000-000000000000', costBudget: null } });
    // Sizing a key's budget is not in the partner schema view at all.
    expect(distinctCodes(set)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

const redisUrl = process.env.REDIS_URL;
const reachable = await redisAnswers(redisUrl);
if (!reachable)
  console.warn(
    `[tests] query cost buckets shared through Redis: skipped (${redisUrl ? `Redis at ${redisUrl} does not answer` : 'REDIS_URL is not set'})`,
  );

describe.skipIf(!reachable)('two routers sharing Redis (needs a reachable REDIS_URL)', () => {
  let routers: Router[] = [];
  beforeAll(async () => {
    // A slow refill (1 point a second) keeps what was spent visible however busy the machine is.
    const cost = { keyPrefix: costPrefix(), redisUrl: redisUrl as string, restoreRate: 1 };
    const make = () =>
      createRouter({
        supergraphSdl: loadSupergraph(),
        targets: stack.subgraphs.map((s) => inProcessTarget(s.server)),
        bus: stack.bus,
        cost,
      });
    routers = [await make(), await make()];
  });
  afterAll(async () => {
    for (const router of routers) await router.stop();
  });

  it('spend on one router shows on the other; the bucket runs out across both', async () => {
    const [one, two] = routers;
    const a = await post(one.handler, PRIVATE_KEYS.voltChatbot, PAGE, { first: 100 });
    const b = await post(two.handler, PRIVATE_KEYS.voltChatbot, PAGE, { first: 100 });
    // Within the few points refilled meanwhile.
    const available = (r: typeof a) => r.body.extensions?.cost?.throttleStatus.currentlyAvailable as number;
    expect(available(a)).toBeGreaterThanOrEqual(2000 - 202);
    expect(available(a)).toBeLessThan(2000 - 202 + 30);
    expect(available(b)).toBeGreaterThanOrEqual(2000 - 2 * 202);
    expect(available(b)).toBeLessThan(2000 - 2 * 202 + 30);
    let last = b;
    for (let i = 0; i < 20 && last.status !== 429; i++)
      last = await post(routers[i % 2].handler, PRIVATE_KEYS.voltChatbot, PAGE, { first: 100 });
    expect(last.status).toBe(429);
  });
});
