import { randomUUID } from 'node:crypto';
import { newId, startStreamConsumer } from '@dcrm/kit';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { decisioningOf } from '../subgraphs/promotion/src/domain/decisioning/index.js';
import { recordDecisions } from '../subgraphs/promotion/src/domain/decisioning/recorder.js';
import { eventKey, hourOf } from '../subgraphs/promotion/src/domain/decisioning/store.js';
import { EVENT_GROUP, startDecisionStream } from '../subgraphs/promotion/src/domain/decisioning/stream.js';
import { dbRows } from './support/brand-matrix.js';
import { customType, decisionRows, decisionRule, event, INGEST, privateKey, until } from './support/decisioning.js';
import { parseExposition, total } from './support/prometheus.js';
import { type Gql, KEYS, registerCustomer, STOREFRONT_IDS, startWithManager } from './support/stack.js';

/**
 * What the decision pipeline does when things go wrong: entries it cannot decide go to a dead-letter
 * stream with their reasons; a decision recorded by a process that died before sending it is still
 * delivered, once; a reclaimed event is counted once in the customer's hot context.
 * The stream cases need the Redis at REDIS_URL.
 */
const url = process.env.REDIS_URL;
let stack: Stack;
let redis: Redis | undefined;
let manager: Gql;

beforeAll(async () => {
  ({ stack, manager } = await startWithManager());
  if (url) redis = new Redis(url);
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.stop();
});

const promotion = () => {
  const booted = stack.subgraphs.find((s) => s.definition.name === 'promotion');
  if (!booted) throw new Error('no promotion subgraph');
  return booted;
};
const decisioning = () => {
  const d = decisioningOf(promotion().orm);
  if (!d) throw new Error('promotion decisioning not running');
  return d;
};
const r = () => redis as Redis;
/** Whether an ACTION decision still waits in the delivery outbox (recorded, not yet carried out). */
const inOutbox = async (id: string) =>
  (await dbRows(stack, 'promotion', 'select id from "promotion"."decision_outbox" where id = ?', [id])).length === 1;
const pendingCount = async (stream: string) => ((await r().xpending(stream, EVENT_GROUP)) as [number])[0];
/** A dead-letter entry's fields as an object. */
const fieldsOf = (flat: string[]) => Object.fromEntries(Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]));
const deadEntries = async (stream: string) =>
  ((await r().xrange(stream, '-', '+')) as [string, string[]][]).map(([, fields]) => fieldsOf(fields));

describe.skipIf(!url)('the dead-letter stream', () => {
  it('rejected entries go there with their reasons and original fields, are acknowledged, and are counted by brand', async () => {
    const stream = `dcrm-test:events:${randomUUID()}`;
    const type = await customType(manager);
    await decisionRule(manager, { eventType: type });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'dead' });
    const producer = `dead-${randomUUID().slice(0, 8)}`;
    const base = { storefront: STOREFRONT_IDS.volt, producer, type, account: customer.id, payload: JSON.stringify({ value: 1 }) };
    const good = { ...base, id: randomUUID() };
    const bad = {
      MISSING_STOREFRONT: { producer, id: randomUUID(), type, account: customer.id },
      UNKNOWN_TYPE: { ...base, id: randomUUID(), type: 'NO_SUCH_TYPE' },
      INVALID_PAYLOAD: { ...base, id: randomUUID(), payload: JSON.stringify({ value: 'high' }) },
      UNKNOWN_CUSTOMER: { ...base, id: randomUUID(), account: randomUUID() },
    };
    const counted = async () =>
      total(parseExposition((await request(stack.router.handler).get('/metrics')).text), 'dcrm_decisioning_dead_letters_total', {
        storefront: STOREFRONT_IDS.volt,
      });
    const before = await counted();
    const consumer = await startDecisionStream(decisioning(), url as string, { stream, consumer: 'dead-a' });
    try {
      const pipeline = r().pipeline();
      for (const fields of [good, ...Object.values(bad)]) pipeline.xadd(stream, '*', ...Object.entries(fields).flat());
      await pipeline.exec();
      await until(async () => consumer.stats.accepted + consumer.stats.dead >= 5 && (await pendingCount(stream)) === 0, 'all handled');
      const dead = await deadEntries(`${stream}.dead`);
      expect(dead).toHaveLength(4);
      for (const [reason, fields] of Object.entries(bad)) {
        const letter = dead.find((l) => l.id === fields.id);
        expect(letter, reason).toMatchObject({ ...fields, 'dead.stream': stream });
        expect(letter?.['dead.reasons'].split(','), reason).toContain(reason);
      }
      expect((await decisionRows(stack, producer)).map((row) => row.event_id)).toEqual([good.id]);
      expect(consumer.stats).toMatchObject({ accepted: 1, rejected: 4, dead: 4 });
      // The one naming no brand is counted under `none`; the other three under Volt.
      expect((await counted()) - before).toBe(3);
    } finally {
      await consumer.stop();
      await r().del(stream, `${stream}.dead`);
    }
  });

  it('an entry whose batches keep failing is retried alone, then set aside after its last delivery; its neighbours are handled', async () => {
    const stream = `dcrm-test:poison:${randomUUID()}`;
    const group = 'poison-test';
    // Appended before the first read, so the first batch holds all three and fails as a whole.
    await r().xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    const ids = [
      (await r().xadd(stream, '*', 'n', '1')) as string,
      (await r().xadd(stream, '*', 'kind', 'poison')) as string,
      (await r().xadd(stream, '*', 'n', '3')) as string,
    ];
    const handled: string[] = [];
    const consumer = await startStreamConsumer({
      url: url as string,
      stream,
      group,
      consumer: 'poison-a',
      minIdleMs: 100,
      reclaimEveryMs: 100,
      maxDeliveries: 3,
      handle: async (entries) => {
        if (entries.some((e) => e.fields.includes('poison'))) throw new Error('cannot handle this batch');
        handled.push(...entries.map((e) => e.id));
        return { ack: entries.map((e) => e.id) };
      },
    });
    try {
      await until(
        async () => (await r().xlen(`${stream}.dead`)) === 1 && ((await r().xpending(stream, group)) as [number])[0] === 0,
        'every entry acknowledged or set aside',
      );
      expect(handled.sort()).toEqual([ids[0], ids[2]].sort());
      const dead = await deadEntries(`${stream}.dead`);
      expect(dead).toEqual([expect.objectContaining({ 'dead.entry': ids[1], 'dead.reasons': 'MAX_DELIVERIES', kind: 'poison' })]);
      expect(Number(dead[0]['dead.deliveries'])).toBeGreaterThan(3);
    } finally {
      await consumer.stop();
      await r().del(stream, `${stream}.dead`);
    }
  });
});

describe('delivery of recorded decisions', () => {
  it('a decision recorded by a process that died before sending it is delivered by the delivery job, exactly once', async () => {
    const type = await customType(manager);
    const rule = await decisionRule(manager, { eventType: type, channels: ['EMAIL'] });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'outbox' });
    const consent = await customer.gql('mutation { customerConsentSet(input: { channel: EMAIL, granted: true }) { userErrors { code } } }');
    expect(consent.body.data?.customerConsentSet.userErrors).toEqual([]);
    const producer = `crash-${randomUUID().slice(0, 8)}`;
    // Step 6 of a batch, as the decision path writes it; the process dies before step 7.
    const decidedAt = new Date(Date.now() - 5 * 60_000);
    const id = newId();
    const inserted = await recordDecisions(promotion().orm, [
      {
        id,
        storefrontId: STOREFRONT_IDS.volt,
        producer,
        eventId: randomUUID(),
        eventType: type,
        customerId: customer.id,
        segment: 'consumer',
        partnerId: null,
        occurredAt: decidedAt,
        outcome: 'ACTION',
        ruleId: rule.id,
        actionKind: 'OFFER',
        channel: 'EMAIL',
        offerId: newId(),
        reasons: [{ ruleId: rule.id, code: 'WON', message: 'test' }],
        decidedAt,
      },
    ]);
    expect([...inserted]).toEqual([id]);
    expect(await inOutbox(id)).toBe(true);
    const offers = () =>
      dbRows(stack, 'promotion', 'select id from "promotion"."offer" where dedupe_key = ?', [`decision:${id}`]) as Promise<unknown[]>;
    const messages = () =>
      dbRows(stack, 'customer', 'select dedupe_key from "customer"."notification_sent" where dedupe_key like ?', [
        `decision:${id}:%`,
      ]) as Promise<unknown[]>;
    expect(await offers()).toHaveLength(0);

    // Two instances run the job at once, and it runs again later: one offer, one message.
    const deliverJob = promotion().server.tasks['promotion:decision-deliver'] as (payload?: unknown) => Promise<void>;
    await Promise.all([deliverJob(), deliverJob()]);
    await deliverJob();
    expect(await offers()).toHaveLength(1);
    expect(await messages()).toHaveLength(1);
    expect(await inOutbox(id)).toBe(false);
  });

  it('an outbox entry whose decision row is gone is cleared by the job, with no action', async () => {
    const id = newId();
    await dbRows(stack, 'promotion', 'insert into "promotion"."decision_outbox" (id, decided_at) values (?, ?)', [
      id,
      new Date(Date.now() - 5 * 60_000),
    ]);
    expect(await inOutbox(id)).toBe(true);
    await (promotion().server.tasks['promotion:decision-deliver'] as (payload?: unknown) => Promise<void>)();
    expect(await inOutbox(id)).toBe(false);
    expect(await dbRows(stack, 'promotion', 'select id from "promotion"."offer" where dedupe_key = ?', [`decision:${id}`])).toHaveLength(0);
  });

  it('a decision carried out by its batch leaves the outbox, and the job leaves it alone', async () => {
    const ingest = await privateKey(stack, manager, ['events:write']);
    const type = await customType(manager);
    await decisionRule(manager, { eventType: type, channels: ['INBOX'] });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'outbox' });
    const producer = `sent-${randomUUID().slice(0, 8)}`;
    const res = await ingest(INGEST, { events: [event(type, customer.id, { value: 1 }, producer)] });
    const [result] = (res.body.data?.eventsIngest.results ?? []) as { decisionId: string; outcome: string }[];
    expect(result.outcome).toBe('ACTION');
    expect(await inOutbox(result.decisionId)).toBe(false);
    await (promotion().server.tasks['promotion:decision-deliver'] as (payload?: unknown) => Promise<void>)({ olderThanMs: 0 });
    const offers = await dbRows(stack, 'promotion', 'select id from "promotion"."offer" where dedupe_key = ?', [
      `decision:${result.decisionId}`,
    ]);
    expect(offers).toHaveLength(1);
  });
});

describe.skipIf(!url)('the hot context', () => {
  it('an entry reclaimed after its context update ran is counted once', async () => {
    const stream = `dcrm-test:events:${randomUUID()}`;
    const type = await customType(manager);
    await decisionRule(manager, { eventType: type });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'ctx' });
    const producer = `ctx-${randomUUID().slice(0, 8)}`;
    const at = new Date();
    const fields = {
      storefront: STOREFRONT_IDS.volt,
      producer,
      id: randomUUID(),
      type,
      account: customer.id,
      at: at.toISOString(),
      payload: JSON.stringify({ value: 1 }),
    };
    await r().xgroup('CREATE', stream, EVENT_GROUP, '0', 'MKSTREAM');
    await r().xadd(stream, '*', ...Object.entries(fields).flat());
    // The doomed consumer reads the entry, claims it and counts it into the context, then dies.
    await r().xreadgroup('GROUP', EVENT_GROUP, 'doomed', 'COUNT', 10, 'STREAMS', stream, '>');
    const d = decisioning();
    const [begun] = await d.store.begin('doomed', [
      {
        key: eventKey(STOREFRONT_IDS.volt, producer, fields.id),
        takeover: false,
        customerId: customer.id,
        type,
        measure: 1,
        atMs: at.getTime(),
        plan: null,
        context: true,
      },
    ]);
    expect(begun.claim).toBe('CLAIMED');
    const count = async () => Number(await r().hget(`dcrm:ctx:{${customer.id}}`, `n:${type}:${hourOf(at.getTime())}`));
    expect(await count()).toBe(1);

    const survivor = await startDecisionStream(d, url as string, { stream, consumer: 'ctx-survivor', minIdleMs: 300, reclaimEveryMs: 200 });
    try {
      await until(async () => (await decisionRows(stack, producer)).length === 1 && (await pendingCount(stream)) === 0, 'entry taken over');
    } finally {
      await survivor.stop();
      await r().del(stream);
    }
    expect(survivor.stats).toMatchObject({ accepted: 1, duplicate: 0 });
    expect(await count()).toBe(1);
    // Its action was carried out after the entry was acknowledged, and left the outbox.
    const [row] = (await dbRows(stack, 'promotion', 'select id, offer_id from "promotion"."decision" where producer = ?', [producer])) as {
      id: string;
      offer_id: string;
    }[];
    await until(async () => !(await inOutbox(row.id)), 'action carried out');
    expect(await dbRows(stack, 'promotion', 'select id from "promotion"."offer" where id = ?', [row.offer_id])).toHaveLength(1);
  });
});
