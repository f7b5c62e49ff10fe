import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { customerWithMobile, customType, decisionRows, decisionRule, event, INGEST, privateKey } from './support/decisioning.js';
import { parseExposition, total } from './support/prometheus.js';
import { client, type Gql, KEYS, productId, registerCustomer, STOREFRONT_IDS, startWithManager, testIp } from './support/stack.js';

/**
 * Real-time event decisioning through the router: a CSP system's private key sends events, each is
 * decided once by (producer, event id), rules and arbitration pick one action or none, caps hold under
 * concurrency, and the decision's offer resolves through the graph with the customer's own prices.
 * (The Redis stream path: decisioning-stream.test.ts.)
 */
let stack: Stack;
let manager: Gql;
let ingest: Gql;

beforeAll(async () => {
  ({ stack, manager } = await startWithManager());
  ingest = await privateKey(stack, manager, ['events:write']);
});
afterAll(() => stack.stop());

const results = (res: Awaited<ReturnType<Gql>>) => {
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data?.eventsIngest.results as {
    eventId: string;
    status: string;
    decisionId: string | null;
    outcome: string | null;
    reasons: { code: string }[];
  }[];
};

describe('ingestion', () => {
  it('the same event twice (in one call and again later) is decided once', async () => {
    const type = await customType(manager);
    await decisionRule(manager, { eventType: type });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'decide' });
    const producer = `dup-${randomUUID().slice(0, 8)}`;
    const e = event(type, customer.id, { value: 1 }, producer);
    const first = results(await ingest(INGEST, { events: [e, e] }));
    expect(first.map((r) => r.status)).toEqual(['ACCEPTED', 'DUPLICATE']);
    expect(first[0]).toMatchObject({ outcome: 'ACTION' });
    const again = results(await ingest(INGEST, { events: [e] }));
    expect(again).toMatchObject([{ status: 'DUPLICATE', decisionId: null }]);
    const rows = await decisionRows(stack, producer);
    expect(rows).toHaveLength(1);
    const offers = await dbRows(stack, 'promotion', 'select id from "promotion"."offer" where customer_id = ? and dedupe_key like ?', [
      customer.id,
      'decision:%',
    ]);
    expect(offers).toEqual([{ id: rows[0].offer_id }]);
  });

  it('bad events are rejected one by one with reasons, and change nothing', async () => {
    const type = await customType(manager);
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'decide' });
    const producer = `bad-${randomUUID().slice(0, 8)}`;
    const good = event(type, customer.id, { value: 2 }, producer);
    const rejected = async (reason: string) =>
      total(parseExposition((await request(stack.router.handler).get('/metrics')).text), 'dcrm_decisioning_events_total', {
        path: 'MUTATION',
        status: 'REJECTED',
        reason,
      });
    const invalidBefore = await rejected('INVALID_PAYLOAD');
    const res = results(
      await ingest(INGEST, {
        events: [
          { ...event('NO_SUCH_TYPE', customer.id, {}, producer) },
          { ...event(type, customer.id, { value: 'high' }, producer) },
          { ...event(type, customer.id, {}, producer), payload: '{not json' },
          { ...event(type, customer.id, { value: 1 }, producer), identity: { msisdn: '12' } },
          { ...event(type, customer.id, { value: 1 }, producer), identity: { accountId: customer.id, email: customer.email } },
          { ...event(type, randomUUID(), { value: 1 }, producer) },
          { ...event(type, customer.id, { value: 1 }, producer), occurredAt: '2020-01-01T00:00:00Z' },
          good,
        ],
      }),
    );
    expect(res.map((r) => r.reasons[0]?.code ?? r.status)).toEqual([
      'UNKNOWN_TYPE',
      'INVALID_PAYLOAD',
      'INVALID_PAYLOAD',
      'INVALID_IDENTITY',
      'INVALID_IDENTITY',
      'UNKNOWN_CUSTOMER',
      'STALE',
      'ACCEPTED',
    ]);
    expect((await decisionRows(stack, producer)).map((r) => r.event_id)).toEqual([good.eventId]);
    // Counted by reason on the promotion subgraph's metrics.
    expect((await rejected('INVALID_PAYLOAD')) - invalidBefore).toBe(2);
    // No rule for the type: an explicit NO_ACTION, recorded with its reason.
    expect(res[7].outcome).toBe('NO_ACTION');
    // Over the batch bound: refused as a whole.
    const many = Array.from({ length: 101 }, () => event(type, customer.id, { value: 1 }, producer));
    const refused = await ingest(INGEST, { events: many });
    expect(refused.body.data?.eventsIngest).toMatchObject({ results: [], userErrors: [{ code: 'TOO_MANY' }] });
  });

  it('a DATA_USAGE event by MSISDN: conditions over the payload and profile decide; the reasons are recorded and staff read them', async () => {
    const campaign = randomUUID();
    const rule = await decisionRule(manager, {
      eventType: 'DATA_USAGE',
      priority: 5,
      conditions: [
        { subject: 'PAYLOAD', key: 'campaign', op: 'IN', values: [campaign] },
        { subject: 'PAYLOAD', key: 'usedShare', op: 'GTE', number: 0.8 },
        { subject: 'SEGMENT', op: 'IN', values: ['consumer'] },
        { subject: 'COUNT', op: 'GTE', number: 2, windowHours: 24 },
      ],
    });
    const c = await customerWithMobile(stack);
    const shopper = client(stack.router.handler, KEYS.volt, { 'x-forwarded-for': testIp() });
    const registered = await shopper(
      'mutation ($input: CustomerRegisterInput!) { customerRegister(input: $input) { customer { id } userErrors { code } } }',
      {
        input: { name: 'Mobile Max', email: `m-${randomUUID().slice(0, 8)}@example.com`, mobile: c.mobile, password: 'fresh-customer-42' },
      },
    );
    const id = registered.body.data?.customerRegister.customer.id as string;
    const producer = `usage-${randomUUID().slice(0, 8)}`;
    const usage = (usedShare: number) => ({
      producer,
      eventId: randomUUID(),
      identity: { msisdn: c.mobile.slice(1) },
      type: 'DATA_USAGE',
      payload: JSON.stringify({ usedShare, campaign }),
    });
    const [low] = results(await ingest(INGEST, { events: [usage(0.5)] }));
    expect(low).toMatchObject({ status: 'ACCEPTED', outcome: 'NO_ACTION' });
    const [high] = results(await ingest(INGEST, { events: [usage(0.92)] }));
    expect(high).toMatchObject({ status: 'ACCEPTED', outcome: 'ACTION' });

    const q = `query ($filter: DecisionFilter) { decisions(filter: $filter, first: 5) {
      nodes { id eventType outcome channel customer { id } rule { id } offer { id title } reasons { ruleId code } } } }`;
    const listed = (await manager(q, { filter: { customerId: id } })).body.data?.decisions.nodes;
    expect(listed.map((d: { id: string }) => d.id)).toEqual([high.decisionId, low.decisionId]);
    expect(listed[0]).toMatchObject({ outcome: 'ACTION', channel: 'INBOX', customer: { id }, rule: { id: rule.id } });
    expect(listed[0].reasons).toContainEqual({ ruleId: rule.id, code: 'WON' });
    expect(listed[1].reasons).toContainEqual({ ruleId: rule.id, code: 'CONDITION_NOT_MET' });
    const kpis = (await manager('{ decisionKpis { decisions actions byRule { rule { id } decisions offers } } }')).body.data?.decisionKpis;
    expect(kpis.byRule).toContainEqual({ rule: { id: rule.id }, decisions: 1, offers: 1 });
  });
});

describe('arbitration', () => {
  it('a daily cap holds under 20 concurrent events of one customer', async () => {
    const type = await customType(manager);
    await decisionRule(manager, { eventType: type, dailyCap: 3 });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'decide' });
    const producer = `cap-${randomUUID().slice(0, 8)}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => ingest(INGEST, { events: [event(type, customer.id, { value: 1 }, producer)] })),
    );
    const outcomes = answers.map((a) => results(a)[0].outcome);
    expect(outcomes.filter((o) => o === 'ACTION')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'NO_ACTION')).toHaveLength(17);
    const rows = await decisionRows(stack, producer);
    expect(rows.filter((r) => r.outcome === 'ACTION')).toHaveLength(3);
  });

  it('the higher-priority rule wins; a cooled-down rule gives way to the next one', async () => {
    const type = await customType(manager);
    const best = await decisionRule(manager, { eventType: type, priority: 10, cooldownMinutes: 600 });
    const next = await decisionRule(manager, { eventType: type, priority: 1, score: 99 });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'decide' });
    const producer = `prio-${randomUUID().slice(0, 8)}`;
    results(await ingest(INGEST, { events: [event(type, customer.id, { value: 1 }, producer)] }));
    results(await ingest(INGEST, { events: [event(type, customer.id, { value: 1 }, producer)] }));
    const rows = await dbRows(
      stack,
      'promotion',
      'select rule_id, reasons from "promotion"."decision" where producer = ? order by decided_at',
      [producer],
    );
    expect((rows as { rule_id: string }[]).map((r) => r.rule_id)).toEqual([best.id, next.id]);
    expect((rows[1] as { reasons: { ruleId: string; code: string }[] }).reasons).toContainEqual(
      expect.objectContaining({ ruleId: best.id, code: 'COOLDOWN' }),
    );
  });
});

describe('actions through the graph', () => {
  it("a decision naming a product resolves it with the customer's own price", async () => {
    const PLAN = productId('volt-sim-unlimited');
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'decide' });
    const list = await manager(
      'mutation ($input: PriceListCreateInput!) { priceListCreate(input: $input) { priceList { id } userErrors { code message } } }',
      { input: { storefrontId: STOREFRONT_IDS.volt, name: `Decision account ${randomUUID().slice(0, 6)}`, customerId: customer.id } },
    );
    const priceListId = list.body.data?.priceListCreate.priceList.id;
    const price = await manager('mutation ($input: PriceSetInput!) { priceSet(input: $input) { userErrors { code message } } }', {
      input: { priceListId, productId: PLAN, type: 'RECURRING', amount: '17.25', interval: 'MONTH' },
    });
    expect(price.body.data?.priceSet.userErrors).toEqual([]);
    const type = await customType(manager);
    const title = `Upgrade ${randomUUID().slice(0, 8)}`;
    await decisionRule(manager, {
      eventType: type,
      action: { kind: 'OFFER', productId: PLAN, template: { title, message: 'Try {{product}}, {{name}}' } },
    });
    const [decided] = results(await ingest(INGEST, { events: [event(type, customer.id)] }));
    expect(decided.outcome).toBe('ACTION');
    const offers = (await customer.gql('{ me { offers { nodes { title message source product { id price { amount { amount } } } } } } }'))
      .body.data?.me.offers.nodes as {
      title: string;
      message: string;
      source: string;
      product: { id: string; price: { amount: { amount: string } } };
    }[];
    const offer = offers.find((o) => o.title === title);
    expect(offer).toMatchObject({ source: 'REAL_TIME', product: { id: PLAN, price: { amount: { amount: '17.25' } } } });
    expect(offer?.message).toMatch(/^Try .+, Test Customer$/);
    // A shopper without that account's list sees the brand's own price.
    const shopper = client(stack.router.handler, KEYS.volt);
    const listPrice = (await shopper(`{ product(id: "${PLAN}") { price { amount { amount } } } }`)).body.data?.product.price.amount.amount;
    expect(listPrice).not.toBe('17.25');
  });
});
