import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { DecisionCondition } from '../../entities/index.js';
import { type Arbiter, arbitrate, reservationOf } from './arbitrate.js';
import { type Lost, settleLost } from './lost-race.js';
import { memoryStore } from './memory-store.js';
import { redisStore } from './redis-store.js';
import { DEFAULT_SETTINGS, type RuleCache } from './rule-cache.js';
import type { RuleView } from './rules.js';
import { dayOf, type HotStore, type Reservation } from './store.js';
import type { Profile } from './types.js';

/** Reservations held under their event, the same for memory and (with REDIS_URL) Redis. */
const stores: [string, HotStore][] = [['memory', memoryStore()]];
if (process.env.REDIS_URL) stores.push(['redis', redisStore(process.env.REDIS_URL)]);
afterAll(async () => {
  for (const [, store] of stores) await store.close();
});

const NOW = Date.UTC(2026, 10, 30, 12);
const DAY = dayOf(NOW);

describe.each(stores)('reservations in the %s hot store', (_, store) => {
  const brand = randomUUID();
  const reservation = (customerId: string, over: Partial<Reservation> = {}): Reservation => ({
    eventKey: `${brand}:test:${randomUUID()}`,
    storefrontId: brand,
    customerId,
    ruleId: randomUUID(),
    channel: 'SMS',
    day: DAY,
    dailyCap: 2,
    channelDailyCap: 2,
    cooldownMs: 0,
    budget: 10,
    nowMs: NOW,
    brandActionCap: null,
    brandBudgetMinor: null,
    costMinor: 150,
    ...over,
  });

  it('an event decided again (its consumer died between reserving and recording) reuses its reservation: counted once', async () => {
    const customer = randomUUID();
    const before = await store.brandDay(brand, DAY);
    const first = reservation(customer, { cooldownMs: 3_600_000 });
    expect(await store.reserve(first)).toBe('OK');
    // The consumer dies; the entry is taken over and decided again, the same way: its own cooldown does not refuse it.
    expect(await store.reserve({ ...first, nowMs: NOW + 60_000 })).toBe('OK');
    expect(await store.brandDay(brand, DAY)).toEqual({ actions: before.actions + 1, spentMinor: before.spentMinor + 150 });
    // The customer's daily cap of 2 counted the event once: one more event fits, a third does not.
    expect(await store.reserve(reservation(customer))).toBe('OK');
    expect(await store.reserve(reservation(customer))).toBe('DAILY_CAP');
    // Decided again another way (another channel): the new reservation replaces the old, still counted once.
    expect(await store.reserve({ ...first, channel: 'EMAIL' })).toBe('OK');
    expect(await store.reserve(reservation(customer))).toBe('DAILY_CAP');
    expect(await store.brandDay(brand, DAY)).toEqual({ actions: before.actions + 2, spentMinor: before.spentMinor + 300 });
  });

  it('a decision lost to the unique-key race gives back exactly its reservation, once', async () => {
    const customer = randomUUID();
    const before = await store.brandDay(brand, DAY);
    const lost = reservation(customer, { dailyCap: 1 });
    expect(await store.reserve(lost)).toBe('OK');
    expect(await store.reserve(reservation(customer, { dailyCap: 1 }))).toBe('DAILY_CAP');
    await store.release(lost);
    await store.release(lost);
    expect(await store.brandDay(brand, DAY)).toEqual(before);
    // Replaced by another reservation of the event, an old one is no longer the event's to give back.
    const again = reservation(customer, { dailyCap: 1 });
    expect(await store.reserve(again)).toBe('OK');
    await store.release({ ...again, channel: 'EMAIL' });
    expect((await store.brandDay(brand, DAY)).actions).toBe(before.actions + 1);
    await store.release(again);
  });

  it('a re-decider that swapped the reservation, then lost to the first decider recording, leaves the recorded action counted', async () => {
    const customer = randomUUID();
    const rule = {
      id: randomUUID(),
      dailyCap: 5,
      channelDailyCap: 5,
      cooldownMinutes: 0,
      budget: null,
      action: { kind: 'OFFER', costMinor: 100 },
    } as unknown as RuleView;
    const refusing = { ...rule, id: randomUUID(), budget: 0 } as RuleView;
    const rules = { rules: () => [rule, refusing], settings: () => DEFAULT_SETTINGS } as unknown as RuleCache;
    for (const [how, reDecided] of [
      [
        'swapped to another channel',
        reservationOf({ ...DEFAULT_SETTINGS, storefrontId: brand, eventKey: '' }, rule, 'EMAIL', customer, NOW),
      ],
      [
        'refused after giving the first one back',
        reservationOf({ ...DEFAULT_SETTINGS, storefrontId: brand, eventKey: '' }, refusing, 'SMS', customer, NOW),
      ],
    ] as const) {
      const eventKey = `${brand}:test:${randomUUID()}`;
      const a = { storefrontId: brand, eventKey, dailyActionCap: null, dailyBudgetMinor: null };
      const before = await store.brandDay(brand, DAY);
      // A (the first decider) reserves SMS under the event, then stalls; its claim is taken over.
      const first = reservationOf(a, rule, 'SMS', customer, NOW);
      expect(await store.reserve(first)).toBe('OK');
      // B decides the event again another way: A's reservation is given back in the same step.
      const second = { ...reDecided, eventKey };
      const answer = await store.reserve(second);
      expect(answer).toBe(second.ruleId === rule.id ? 'OK' : 'BUDGET');
      // A records first; B's insert conflicts and it settles against A's recorded decision.
      const lost: Lost = { key: eventKey, storefrontId: brand, producer: 'test', eventId: eventKey, customerId: customer, winner: null };
      if (answer === 'OK') lost.winner = { rule, channel: 'EMAIL', reservation: second };
      const recorded = {
        storefrontId: brand,
        producer: 'test',
        eventId: eventKey,
        ruleId: rule.id,
        channel: 'SMS' as const,
        decidedAt: new Date(NOW),
      };
      await settleLost({ store, rules }, lost, recorded, NOW + 1_000);
      await settleLost({ store, rules }, lost, recorded, NOW + 2_000);
      expect(await store.brandDay(brand, DAY), how).toEqual({ actions: before.actions + 1, spentMinor: before.spentMinor + 100 });
      // Held under the event as A's: A giving it back (were its decision not recorded) would find it.
      await store.release(first);
      expect(await store.brandDay(brand, DAY), how).toEqual(before);
    }
  });

  /** One event's candidates: rule A on SMS then the inbox (each channel capped at 1 a day), then rule B on SMS (budget 2). */
  const fallback = (customer: string, ruleA: string, ruleB: string) => {
    const eventKey = `${brand}:test:${randomUUID()}`;
    const a = { eventKey, ruleId: ruleA, channelDailyCap: 1, dailyCap: 10, budget: null };
    return [
      [reservation(customer, a), reservation(customer, { ...a, channel: 'INBOX' })],
      [reservation(customer, { eventKey, ruleId: ruleB, channelDailyCap: 5, dailyCap: 10, budget: 2 })],
    ];
  };

  it('reserves a batch in one step: per event the first candidate that fits, a channel cap moving on to the next channel, others to the next rule', async () => {
    const [customer, ruleA, ruleB] = [randomUUID(), randomUUID(), randomUUID()];
    const answers = await store.reserveFirst(Array.from({ length: 5 }, () => fallback(customer, ruleA, ruleB)));
    expect(answers).toEqual([
      ['OK'],
      ['CHANNEL_CAP', 'OK'],
      ['CHANNEL_CAP', 'CHANNEL_CAP', 'OK'],
      ['CHANNEL_CAP', 'CHANNEL_CAP', 'OK'],
      ['CHANNEL_CAP', 'CHANNEL_CAP', 'BUDGET'],
    ]);
    // An event with nothing to try answers nothing, in its place.
    expect(await store.reserveFirst([[[]], fallback(randomUUID(), ruleA, randomUUID())])).toEqual([[], ['OK']]);
  });

  it('concurrent events of one customer, each its own call, take each candidate at most its caps allow', async () => {
    const [customer, ruleA, ruleB] = [randomUUID(), randomUUID(), randomUUID()];
    const answers = await Promise.all(Array.from({ length: 8 }, () => store.reserveFirst([fallback(customer, ruleA, ruleB)])));
    // Which candidate won (1: A on SMS, 2: A on the inbox, 3: B on SMS), 0: none.
    const won = answers.map(([tried]) => (tried.at(-1) === 'OK' ? tried.length : 0)).sort();
    expect(won).toEqual([0, 0, 0, 0, 1, 2, 3, 3]);
  });

  it('the brand budget is money: actions that would spend past it are refused, free ones are not', async () => {
    const own = randomUUID();
    const capped = (over: Partial<Reservation> = {}) =>
      reservation(randomUUID(), { storefrontId: own, eventKey: `${own}:test:${randomUUID()}`, brandBudgetMinor: 400, ...over });
    expect(await store.reserve(capped())).toBe('OK');
    expect(await store.reserve(capped({ costMinor: 250 }))).toBe('OK');
    expect(await store.reserve(capped({ costMinor: 1 }))).toBe('BRAND_BUDGET');
    expect(await store.reserve(capped({ costMinor: 0 }))).toBe('OK');
    expect(await store.reserve(capped({ costMinor: 0, brandActionCap: 3 }))).toBe('BRAND_BUDGET');
    expect(await store.brandDay(own, DAY)).toEqual({ actions: 3, spentMinor: 400 });
  });
});

describe('arbitration deciding one event twice', () => {
  const c = (x: Partial<DecisionCondition>) => x as DecisionCondition;
  const rule: RuleView = {
    id: 'r',
    name: 'Top-up',
    eventType: 'BALANCE_LOW',
    conditions: [c({ subject: 'HOUR', op: 'GTE', number: 0 })],
    action: { kind: 'OFFER', template: { title: 't', message: 'm' }, costMinor: 250 },
    channels: ['SMS', 'INBOX'],
    priority: 0,
    score: 50,
    cooldownMinutes: 1440,
    dailyCap: 1,
    channelDailyCap: 1,
    budget: 1,
  } as RuleView;
  const profile: Profile = { customerId: 'c', name: 'A', segment: 'consumer', partnerId: null, consents: ['SMS'], preferred: [] };

  it('the same winner, its caps, cooldown, rule budget and brand spend counted once', async () => {
    const a: Arbiter = {
      store: memoryStore(),
      storefrontId: 's',
      eventKey: 's:p:e1',
      dailyActionCap: null,
      dailyBudgetMinor: 1_000,
      stats: { segment: new Map(), brand: new Map() },
      minSample: 20,
    };
    const first = await arbitrate(a, [rule], profile, false, NOW, []);
    const again = await arbitrate(a, [rule], profile, false, NOW + 1_000, []);
    expect(again).toMatchObject({ rule: { id: 'r' }, channel: first?.channel });
    expect(await a.store.brandDay('s', DAY)).toEqual({ actions: 1, spentMinor: 250 });
    // Another event of the customer meets the caps the first one took.
    expect(await arbitrate({ ...a, eventKey: 's:p:e2' }, [rule], profile, false, NOW, [])).toBeNull();
  });
});
