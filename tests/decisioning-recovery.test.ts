import { randomUUID } from 'node:crypto';
import { type MikroORM, newId } from '@dcrm/kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { type Decisioning, decideBatch } from '../subgraphs/promotion/src/domain/decisioning/decide.js';
import { decisioningOf } from '../subgraphs/promotion/src/domain/decisioning/index.js';
import { recordDecisions } from '../subgraphs/promotion/src/domain/decisioning/recorder.js';
import { startDecisionStream } from '../subgraphs/promotion/src/domain/decisioning/stream.js';
import { customType, decisionRule, event, until } from './support/decisioning.js';
import { type Gql, KEYS, registerCustomer, STOREFRONT_IDS, startWithManager } from './support/stack.js';

/**
 * What survives a crash and what is set aside: an event whose consumer died after reserving its caps
 * and before recording its decision is decided again on takeover with the same reservation (counted
 * once); a decision that loses the unique-key race gives its reservation back unless the recorded one
 * holds it; events that cannot be decided are dead letters, counted by reason and read by staff.
 */
const url = process.env.REDIS_URL;
let stack: Stack;
let manager: Gql;

beforeAll(async () => {
  ({ stack, manager } = await startWithManager());
});
afterAll(() => stack?.stop());

/** An event as the stream hands it to the decision path (the mutation helper's payload is JSON text). */
const raw = (type: string, customerId: string) => {
  const e = event(type, customerId);
  return { ...e, occurredAt: null, payload: JSON.parse(e.payload) as unknown };
};

const decisioning = (): Decisioning => {
  const booted = stack.subgraphs.find((s) => s.definition.name === 'promotion');
  const d = booted ? decisioningOf(booted.orm) : undefined;
  if (!d) throw new Error('promotion decisioning not running');
  return d;
};

/** The same decision path, in a process that dies as it records: nothing after the reservation happens (no release, no settle). */
const dying = (d: Decisioning): Decisioning => ({
  ...d,
  // The batch touches the database only to record its decisions: dying there is dying after reserving.
  orm: {
    em: {
      fork: () => {
        throw new Error('killed before recording');
      },
    },
  } as unknown as MikroORM,
  store: { ...d.store, release: async () => {}, settle: async () => {} },
});

describe('a consumer killed between reserving and recording', () => {
  it('its event, taken over, is decided with the same reservation: the customer’s cap counts it once', async () => {
    const d = decisioning();
    const type = await customType(manager);
    await decisionRule(manager, { eventType: type, channels: ['INBOX'], dailyCap: 2 });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'takeover' });
    const item = { storefrontId: STOREFRONT_IDS.volt, raw: raw(type, customer.id), takeover: false };
    await expect(decideBatch(dying(d), 'STREAM', [item])).rejects.toThrow('killed before recording');
    // Taken over by a live consumer: decided, acting, on the reservation the dead one made.
    const [again] = await decideBatch(d, 'STREAM', [{ ...item, takeover: true }]);
    expect(again).toMatchObject({ status: 'ACCEPTED', outcome: 'ACTION' });
    // A cap of 2 a day: one more event acts (the first was counted once, not twice); the next is capped.
    const [second] = await decideBatch(d, 'STREAM', [{ ...item, raw: raw(type, customer.id) }]);
    expect(second).toMatchObject({ outcome: 'ACTION' });
    const [third] = await decideBatch(d, 'STREAM', [{ ...item, raw: raw(type, customer.id) }]);
    expect(third).toMatchObject({ outcome: 'NO_ACTION' });
  });
});

describe('a decision lost to the unique-key race', () => {
  it('gives its reservation back unless the recorded decision holds the same one', async () => {
    const d = decisioning();
    const type = await customType(manager);
    const rule = await decisionRule(manager, { eventType: type, channels: ['INBOX'], dailyCap: 1 });
    /** Another consumer records the event first (with this rule on the inbox, or no action), then this one decides it. */
    const race = async (customerId: string, recorded: { ruleId: string | null; channel: string | null }) => {
      const item = { storefrontId: STOREFRONT_IDS.volt, raw: raw(type, customerId), takeover: false };
      await recordDecisions(d.orm, [
        {
          id: newId(),
          storefrontId: STOREFRONT_IDS.volt,
          producer: item.raw.producer,
          eventId: item.raw.eventId,
          eventType: type,
          customerId,
          segment: 'consumer',
          partnerId: null,
          occurredAt: new Date(),
          outcome: recorded.ruleId ? 'ACTION' : 'NO_ACTION',
          ruleId: recorded.ruleId,
          actionKind: recorded.ruleId ? 'OFFER' : null,
          channel: recorded.channel as 'INBOX' | null,
          offerId: null,
          reasons: [],
          decidedAt: new Date(),
        },
      ]);
      expect((await decideBatch(d, 'STREAM', [item]))[0].status).toBe('DUPLICATE');
      // The customer's cap is 1 a day: is it still free?
      return (await decideBatch(d, 'STREAM', [{ ...item, raw: raw(type, customerId) }]))[0].outcome;
    };
    const lostToNoAction = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'race' });
    expect(await race(lostToNoAction.id, { ruleId: null, channel: null })).toBe('ACTION');
    const lostToSame = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'race' });
    expect(await race(lostToSame.id, { ruleId: rule.id, channel: 'INBOX' })).toBe('NO_ACTION');
  });
});

describe('the decision recorder', () => {
  it('records a batch of two brands, producers and decision times as given, each row whole; a decided event is not inserted again', async () => {
    const d = decisioning();
    const producer = `mix-${randomUUID().slice(0, 8)}`;
    const at = new Date(Date.now() - 60_000);
    const later = new Date(at.getTime() + 1_000);
    const ruleId = randomUUID();
    const base = {
      eventType: 'DATA_USAGE',
      segment: 'consumer',
      partnerId: null,
      occurredAt: at,
      outcome: 'NO_ACTION' as const,
      ruleId: null,
      actionKind: null,
      channel: null,
      offerId: null,
      reasons: [{ ruleId: null, code: 'NO_MATCH', message: 'No rule matched: "quoted" \\ text' }],
      decidedAt: at,
    };
    const rows = [
      { ...base, id: newId(), storefrontId: STOREFRONT_IDS.volt, producer, eventId: 'e1', customerId: randomUUID() },
      {
        ...base,
        id: newId(),
        storefrontId: STOREFRONT_IDS.nimbus,
        producer: `${producer}-b`,
        eventId: 'e\u00e9"2',
        customerId: randomUUID(),
        partnerId: randomUUID(),
        outcome: 'ACTION' as const,
        ruleId,
        actionKind: 'OFFER',
        channel: 'SMS' as const,
        offerId: newId(),
        reasons: [{ ruleId, code: 'WON', message: 'won' }],
        decidedAt: later,
      },
    ];
    expect(await recordDecisions(d.orm, rows)).toEqual(new Set(rows.map((r) => r.id)));
    const read = (await d.orm.em
      .fork()
      .getConnection()
      .execute(
        `select id, storefront_id, producer, event_id, customer_id, partner_id, outcome, rule_id, action_kind, channel, offer_id, reasons,
           (extract(epoch from occurred_at) * 1000)::bigint::text as occurred_at, (extract(epoch from decided_at) * 1000)::bigint::text as decided_at from "promotion"."decision" where producer like ? order by event_id`,
        [`${producer}%`],
      )) as Record<string, unknown>[];
    expect(read).toEqual(
      rows.map((r) => ({
        id: r.id,
        storefront_id: r.storefrontId,
        producer: r.producer,
        event_id: r.eventId,
        customer_id: r.customerId,
        partner_id: r.partnerId,
        outcome: r.outcome,
        rule_id: r.ruleId,
        action_kind: r.actionKind,
        channel: r.channel,
        offer_id: r.offerId,
        reasons: r.reasons,
        occurred_at: String(r.occurredAt.getTime()),
        decided_at: String(r.decidedAt.getTime()),
      })),
    );
    // The same events again (another consumer's rows, one batch of one brand): nothing inserted.
    const again = rows.map((r) => ({ ...r, id: newId(), storefrontId: STOREFRONT_IDS.volt, producer, decidedAt: at }));
    again[1] = { ...again[1], storefrontId: STOREFRONT_IDS.nimbus, producer: `${producer}-b` };
    expect(await recordDecisions(d.orm, again)).toEqual(new Set());
  });
});

const DEAD = `query ($reason: String, $first: Int, $after: String) {
  decisionDeadLetters(reason: $reason, first: $first, after: $after) {
    nodes { entryId at reasons producer eventId type deliveries }
    pageInfo { hasNextPage endCursor }
    counts { reason count }
  }
}`;
type DeadPage = {
  nodes: { eventId: string; producer: string; reasons: string[]; type: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  counts: { reason: string; count: number }[];
};
const deadOf = async (gql: Gql, variables: Record<string, unknown> = {}) =>
  (await gql(DEAD, { first: 100, ...variables })).body.data?.decisionDeadLetters as DeadPage;
const countOf = (page: DeadPage, reason: string) => page.counts.find((c) => c.reason === reason)?.count ?? 0;

describe('dead letters for staff', () => {
  it('staff read their brand’s dead letters newest first, a page at a time, by reason, with counts', async () => {
    const producer = `dead-${randomUUID().slice(0, 8)}`;
    const letter = (id: string, reasons: string[]) => ({
      fields: ['storefront', STOREFRONT_IDS.volt, 'producer', producer, 'id', id, 'type', 'NOT_A_TYPE', 'account', randomUUID()],
      reasons,
    });
    const before = await deadOf(manager);
    for (const [id, reasons] of [
      ['d1', ['UNKNOWN_TYPE']],
      ['d2', ['UNKNOWN_CUSTOMER']],
      ['d3', ['UNKNOWN_TYPE']],
    ] as const)
      await decisioning().deadLetters.add([letter(id, [...reasons])]);
    const mine = (page: DeadPage) => page.nodes.filter((n) => n.producer === producer).map((n) => n.eventId);
    const all = await deadOf(manager);
    expect(mine(all)).toEqual(['d3', 'd2', 'd1']);
    expect(all.nodes.find((n) => n.eventId === 'd3')).toMatchObject({ reasons: ['UNKNOWN_TYPE'], type: 'NOT_A_TYPE' });
    expect(countOf(all, 'UNKNOWN_TYPE')).toBeGreaterThanOrEqual(countOf(before, 'UNKNOWN_TYPE') + 2);
    expect(mine(await deadOf(manager, { reason: 'UNKNOWN_CUSTOMER' }))).toEqual(['d2']);
    // Paged: the cursor goes on from where a page ended (other tests' letters may come between).
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50 && seen.length < 3; i++) {
      const page: DeadPage = await deadOf(manager, { first: 1, after });
      seen.push(...mine(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['d3', 'd2', 'd1']);
    expect((await manager(DEAD, { after: 'not-a-cursor' })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.skipIf(!url)('entries the stream consumer sets aside are counted under their brand and reason', async () => {
    const stream = `dcrm-test:events:${randomUUID()}`;
    const redis = new Redis(url as string);
    const reason = 'UNKNOWN_TYPE';
    const before = countOf(await deadOf(manager), reason);
    const consumer = await startDecisionStream(decisioning(), url as string, { stream, consumer: 'dead-count' });
    try {
      await redis.xadd(
        stream,
        '*',
        'storefront',
        STOREFRONT_IDS.volt,
        'producer',
        'dead-count',
        'id',
        randomUUID(),
        'type',
        'NOPE',
        'account',
        randomUUID(),
      );
      await until(async () => consumer.stats.dead >= 1, 'set aside');
      await until(async () => countOf(await deadOf(manager), reason) > before, 'counted');
    } finally {
      await consumer.stop();
      await redis.del(stream, `${stream}.dead`);
      redis.disconnect();
    }
  });
});
