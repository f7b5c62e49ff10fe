import { randomUUID } from 'node:crypto';
import {
  type BootedSubgraph,
  bootSubgraph,
  internalSecret,
  newId,
  type Principal,
  SERVICE_SCOPES,
  SQL_COUNT_HEADER,
  seedId,
  servicePrincipal,
} from '@dcrm/kit';
import { principals, signedHeaders } from '@dcrm/kit/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { audienceRules, Campaign, DecisionRule, Offer, OfferRule, PromotionRow } from '../src/entities/index.js';
import { promotionSubgraph } from '../src/index.js';

const VOLT = seedId('storefront', 'volt');
const NIMBUS = seedId('storefront', 'nimbus');
const PROMOTION_STAFF = ['promotion:read', 'promotion:write'];

let promotion: BootedSubgraph;
beforeAll(async () => {
  // No peers: these tests evaluate anonymous carts only (no customer profile to fetch).
  promotion = await bootSubgraph(promotionSubgraph, {
    databaseUrl: inject('databaseUrl'),
    secret: internalSecret(),
    migrate: false,
    poolSize: 4,
    peers: (name) => {
      throw new Error(`no peer ${name} in this test`);
    },
  });
});
afterAll(async () => {
  await promotion.server.stop();
  await promotion.orm.close();
});

type Result = { status: number; body: { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] } };

async function gql(principal: Principal | null, query: string, variables?: Record<string, unknown>): Promise<Result> {
  const body = { query, variables };
  const headers = principal ? signedHeaders(principal, 'promotion', body) : { 'content-type': 'application/json' };
  const response = await request(promotion.server.handler).post('/graphql').set(headers).send(body);
  expect(response.headers[SQL_COUNT_HEADER]).toBeDefined();
  return { status: response.status, body: response.body };
}
const codes = (r: Result) => r.body.errors?.map((e) => e.extensions?.code) ?? [];

/** A promotion written straight to the table (unique names and codes per call). */
async function insertPromotion(storefrontId: string, overrides: Partial<Record<string, unknown>> = {}) {
  const em = promotion.orm.em.fork() as EntityManager;
  const row = em.create(PromotionRow, {
    id: newId(),
    storefrontId,
    name: `Test ${randomUUID()}`,
    priority: 0,
    stacking: 'COMBINABLE',
    couponCode: null,
    usageLimit: null,
    perCustomerLimit: null,
    conditions: [],
    actions: [{ type: 'AMOUNT_OFF', amount: '5.00', target: 'ONE_OFF' }],
    messages: {},
    active: true,
    ...overrides,
  });
  await em.flush();
  return row;
}

const EVALUATE = `query ($input: PromotionEvaluateInput!) { promotionEvaluate(inputs: [$input]) {
  discounts { promotionId oneOff lines { lineId oneOff } } codeProblems { code problem } } }`;
const REDEEM = `mutation ($input: PromotionRedeemInput!) { promotionRedeem(input: $input) {
  evaluation { discounts { promotionId oneOff } } userErrors { code field } } }`;
const RELEASE = 'mutation ($key: String!) { promotionRelease(input: { idempotencyKey: $key }) }';

const cartOf = (productId: string, couponCodes: string[] = []) => ({
  customerId: null,
  channel: 'WEB',
  couponCodes,
  isFirstOrder: false,
  locale: 'en',
  lines: [{ lineId: randomUUID(), productId, kind: 'DEVICE', quantity: 1, unitOneOff: '100.00' }],
});

describe('requests that did not come through the router', () => {
  it.each([
    ['a query', '{ promotions { nodes { id } } }'],
    ['_service', '{ _service { sdl } }'],
    ['_entities', `{ _entities(representations: [{ __typename: "Offer", id: "${randomUUID()}" }]) { ... on Offer { title } } }`],
  ])('%s without a principal is 401', async (_, query) => {
    const result = await gql(null, query);
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('_entities', () => {
  it("resolves the caller's storefront's promotions for promotion staff, null otherwise", async () => {
    const nimbusPromotion = await insertPromotion(NIMBUS);
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Promotion { id name } } }`;
    const reps = [{ __typename: 'Promotion', id: nimbusPromotion.id }];
    expect((await gql(principals.staff(VOLT, PROMOTION_STAFF), query, { reps })).body.data?._entities).toEqual([null]);
    expect((await gql(principals.staff(NIMBUS, PROMOTION_STAFF), query, { reps })).body.data?._entities).toEqual([
      { id: nimbusPromotion.id, name: nimbusPromotion.name },
    ]);
    // Customers and staff without the scope never resolve promotions.
    expect((await gql(principals.customer(randomUUID(), NIMBUS), query, { reps })).body.data?._entities).toEqual([null]);
    expect((await gql(principals.staff(NIMBUS, ['catalog:read']), query, { reps })).body.data?._entities).toEqual([null]);
  });
});

/** A campaign, a public and a personal offer and a real-time rule, written straight to the tables. */
async function insertMarketing(storefrontId: string) {
  const em = promotion.orm.em.fork() as EntityManager;
  const template = { title: `Test ${randomUUID()}`, message: 'Hello {{name}}' };
  const now = new Date();
  const campaign = em.create(Campaign, {
    id: newId(),
    storefrontId,
    name: template.title,
    objective: 'UPSELL',
    channels: ['WEB'],
    audience: audienceRules(),
    template,
    startsAt: now,
    endsAt: new Date(now.getTime() + 86_400_000),
  });
  const offer = (customerId: string | null) =>
    em.create(Offer, {
      id: newId(),
      storefrontId,
      customerId,
      segment: customerId ? 'consumer' : null,
      source: customerId ? 'AGENT' : 'STOREFRONT',
      title: template.title,
      message: 'Hello',
    });
  const publicOffer = offer(null);
  const personalOffer = offer(randomUUID());
  const rule = em.create(OfferRule, { id: newId(), storefrontId, name: template.title, event: 'PRODUCT_VIEWED', template });
  await em.flush();
  return { campaign, publicOffer, personalOffer, rule };
}

describe('_entities of offers, campaigns and offer rules', () => {
  const lookup = (typename: string, ids: string[], selection = 'id') =>
    [
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${typename} { ${selection} } } }`,
      { reps: ids.map((id) => ({ __typename: typename, id })) },
    ] as const;
  const entities = async (principal: Principal, [query, variables]: readonly [string, Record<string, unknown>]) => {
    const result = await gql(principal, query, variables);
    expect(codes(result)).toEqual([]);
    return result.body.data?._entities;
  };

  it('offers: the storefront’s public ones for its shoppers, personal ones for their customer, nothing of another brand', async () => {
    const { publicOffer, personalOffer } = await insertMarketing(NIMBUS);
    const reps = lookup('Offer', [publicOffer.id, personalOffer.id]);
    expect(await entities(principals.shopper(NIMBUS), reps)).toEqual([{ id: publicOffer.id }, null]);
    expect(await entities(principals.customer(personalOffer.customerId as string, NIMBUS), reps)).toEqual([
      { id: publicOffer.id },
      { id: personalOffer.id },
    ]);
    expect(await entities(principals.customer(personalOffer.customerId as string, VOLT), reps)).toEqual([null, null]);
    expect(await entities(principals.staff(VOLT, PROMOTION_STAFF), reps)).toEqual([null, null]);
  });

  it('campaigns: promotion staff of the storefront and services, null for everyone else', async () => {
    const { campaign } = await insertMarketing(NIMBUS);
    const reps = lookup('Campaign', [campaign.id], 'id name');
    const found = [{ id: campaign.id, name: campaign.name }];
    expect(await entities(principals.staff(NIMBUS, PROMOTION_STAFF), reps)).toEqual(found);
    expect(await entities(servicePrincipal('cart', NIMBUS, []), reps)).toEqual(found);
    expect(await entities(principals.staff(VOLT, PROMOTION_STAFF), reps)).toEqual([null]);
    expect(await entities(principals.staff(NIMBUS, ['promotion:write']), reps)).toEqual([null]);
    expect(await entities(principals.customer(randomUUID(), NIMBUS), reps)).toEqual([null]);
    expect(await entities(principals.shopper(NIMBUS), reps)).toEqual([null]);
  });

  it('offer rules: staff of the storefront only', async () => {
    const { rule } = await insertMarketing(NIMBUS);
    const reps = lookup('OfferRule', [rule.id], 'id name');
    expect(await entities(principals.staff(NIMBUS, []), reps)).toEqual([{ id: rule.id, name: rule.name }]);
    expect(await entities(principals.staff(VOLT, PROMOTION_STAFF), reps)).toEqual([null]);
    expect(
      await entities(servicePrincipal('cart', NIMBUS, [SERVICE_SCOPES.promotionEvaluate, SERVICE_SCOPES.promotionRedeem]), reps),
    ).toEqual([null]);
    expect(await entities(principals.customer(randomUUID(), NIMBUS), reps)).toEqual([null]);
  });

  it('decision rules: staff of the storefront only', async () => {
    const em = promotion.orm.em.fork() as EntityManager;
    const rule = em.create(DecisionRule, {
      id: newId(),
      storefrontId: NIMBUS,
      name: `Decide ${randomUUID().slice(0, 6)}`,
      eventType: 'DATA_USAGE',
      conditions: [],
      action: { kind: 'OFFER', template: { title: 't', message: 'm' } },
      channels: ['INBOX'],
    });
    await em.flush();
    const reps = lookup('DecisionRule', [rule.id], 'id name');
    expect(await entities(principals.staff(NIMBUS, []), reps)).toEqual([{ id: rule.id, name: rule.name }]);
    expect(await entities(principals.staff(VOLT, PROMOTION_STAFF), reps)).toEqual([null]);
    expect(await entities(servicePrincipal('cart', NIMBUS, [SERVICE_SCOPES.promotionEvaluate]), reps)).toEqual([null]);
    expect(await entities(principals.customer(randomUUID(), NIMBUS), reps)).toEqual([null]);
    expect(await entities(principals.shopper(NIMBUS), reps)).toEqual([null]);
  });
});

describe('promotionEvaluate, promotionRedeem, promotionRelease', () => {
  it.each([
    ['an anonymous shopper', principals.shopper(VOLT), 'UNAUTHENTICATED'],
    ['a customer', principals.customer(randomUUID(), VOLT), 'FORBIDDEN'],
    ['promotion staff', principals.staff(VOLT, PROMOTION_STAFF), 'FORBIDDEN'],
  ])('are refused to %s', async (_, principal, code) => {
    const input = cartOf(randomUUID());
    expect(codes(await gql(principal, EVALUATE, { input }))).toEqual([code]);
    expect(codes(await gql(principal, REDEEM, { input: { idempotencyKey: randomUUID(), evaluation: input } }))).toEqual([code]);
    expect(codes(await gql(principal, RELEASE, { key: randomUUID() }))).toEqual([code]);
  });

  it('evaluate for the cart service, per line, only with the storefront’s own promotions', async () => {
    const product = randomUUID();
    const mine = await insertPromotion(VOLT, { conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [product] }] });
    const theirs = await insertPromotion(NIMBUS, { conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [product] }] });
    const input = cartOf(product, ['no-such-code']);
    const result = await gql(servicePrincipal('cart', VOLT, [SERVICE_SCOPES.promotionEvaluate]), EVALUATE, { input });
    const evaluation = result.body.data?.promotionEvaluate[0];
    // Only this test's promotions count (demo data may hold others).
    const ours = evaluation.discounts.filter((d: { promotionId: string }) => [mine.id, theirs.id].includes(d.promotionId));
    expect(ours).toEqual([{ promotionId: mine.id, oneOff: '5.00', lines: [{ lineId: input.lines[0].lineId, oneOff: '5.00' }] }]);
    expect(evaluation.codeProblems).toEqual([{ code: 'no-such-code', problem: 'UNKNOWN_CODE' }]);
  });

  it('evaluate takes up to 100 carts and answers in their order', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const pa = await insertPromotion(VOLT, { conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [a] }] });
    const pb = await insertPromotion(VOLT, { conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [b] }] });
    const query = `query ($inputs: [PromotionEvaluateInput!]!) { promotionEvaluate(inputs: $inputs) { discounts { promotionId } } }`;
    const service = servicePrincipal('cart', VOLT, [SERVICE_SCOPES.promotionEvaluate]);
    const ours = (e: { discounts: { promotionId: string }[] }) =>
      e.discounts.map((d) => d.promotionId).filter((id) => [pa.id, pb.id].includes(id));
    const result = await gql(service, query, { inputs: [cartOf(b), cartOf(a), cartOf(b)] });
    expect(result.body.data?.promotionEvaluate.map(ours)).toEqual([[pb.id], [pa.id], [pb.id]]);
    expect(codes(await gql(service, query, { inputs: Array.from({ length: 101 }, () => cartOf(a)) }))).toEqual(['BAD_USER_INPUT']);
  });

  it('redeem counts once per key, refuses a code that does not apply, and release gives the use back once', async () => {
    const product = randomUUID();
    const code = `SUB${randomUUID().slice(0, 8)}`;
    const limited = await insertPromotion(VOLT, {
      couponCode: code,
      usageLimit: 1,
      conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [product] }],
    });
    const service = servicePrincipal('cart', VOLT, [SERVICE_SCOPES.promotionRedeem]);
    const usage = async () => (await (promotion.orm.em.fork() as EntityManager).findOneOrFail(PromotionRow, { id: limited.id })).usageCount;
    const input = cartOf(product, [code.toLowerCase()]);
    const key = randomUUID();
    const first = (await gql(service, REDEEM, { input: { idempotencyKey: key, evaluation: input } })).body.data?.promotionRedeem;
    expect(first).toEqual({ evaluation: { discounts: [{ promotionId: limited.id, oneOff: '5.00' }] }, userErrors: [] });
    const again = (await gql(service, REDEEM, { input: { idempotencyKey: key, evaluation: input } })).body.data?.promotionRedeem;
    expect(again).toEqual(first);
    expect(await usage()).toBe(1);

    const other = (await gql(service, REDEEM, { input: { idempotencyKey: randomUUID(), evaluation: input } })).body.data?.promotionRedeem;
    expect(other).toEqual({ evaluation: null, userErrors: [{ code: 'EXHAUSTED', field: ['input', 'evaluation', 'couponCodes', '0'] }] });
    expect(await usage()).toBe(1);

    expect((await gql(service, RELEASE, { key })).body.data?.promotionRelease).toBe(true);
    expect((await gql(service, RELEASE, { key })).body.data?.promotionRelease).toBe(true);
    expect(await usage()).toBe(0);
  });
});
