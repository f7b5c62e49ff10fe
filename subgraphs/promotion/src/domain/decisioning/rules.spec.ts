import { describe, expect, it } from 'vitest';
import type { DecisionCondition } from '../../entities/index.js';
import { type Arbiter, arbitrate, releaseWinner } from './arbitrate.js';
import { choose, type Working } from './choose.js';
import type { Decisioning } from './decide.js';
import { memoryStore } from './memory-store.js';
import { DEFAULT_SETTINGS } from './rule-cache.js';
import { candidates, holds, type RuleView, readsContext, type Situation } from './rules.js';
import { type HotStore, hourOf } from './store.js';
import type { Profile, Reason } from './types.js';

const AT = new Date('2026-11-30T21:30:00Z');
const profile: Profile = { customerId: 'c1', name: 'Aoife', segment: 'consumer', partnerId: null, consents: ['SMS'], preferred: ['SMS'] };

const situation = (payload: Record<string, unknown> = {}, counts: [string, number, number, number][] = []): Situation => ({
  event: {
    storefrontId: 's',
    producer: 'p',
    eventId: 'e',
    identity: { accountId: 'c1' },
    type: 'DATA_USAGE',
    occurredAt: AT,
    payload,
    measure: 0,
  },
  features: {
    buckets: new Map(counts.map(([type, hoursAgo, count, sum]) => [`${type}:${hourOf(AT.getTime()) - hoursAgo}`, { count, sum }])),
    plan: 'prepaid-s',
  },
  profile,
});

const rule = (id: string, fields: Partial<RuleView> = {}): RuleView => ({
  id,
  name: id,
  eventType: 'DATA_USAGE',
  conditions: [],
  action: { kind: 'OFFER', template: { title: 't', message: 'm' } },
  channels: ['LIVE', 'SMS', 'EMAIL', 'INBOX'],
  priority: 0,
  score: 50,
  cooldownMinutes: 0,
  dailyCap: 3,
  channelDailyCap: 2,
  budget: null,
  ...fields,
});

const c = (condition: Partial<DecisionCondition> & Pick<DecisionCondition, 'subject' | 'op'>): DecisionCondition => condition;

describe('conditions', () => {
  it('compare the payload, windowed counts and sums, segment, plan and hour', () => {
    const s = situation({ usedShare: 0.85, app: 'video' }, [
      ['DATA_USAGE', 0, 1, 0.85],
      ['DATA_USAGE', 5, 2, 1.1],
      ['DATA_USAGE', 30, 4, 2],
    ]);
    expect(holds(c({ subject: 'PAYLOAD', key: 'usedShare', op: 'GTE', number: 0.8 }), s)).toBe(true);
    expect(holds(c({ subject: 'PAYLOAD', key: 'usedShare', op: 'LT', number: 0.8 }), s)).toBe(false);
    expect(holds(c({ subject: 'PAYLOAD', key: 'app', op: 'IN', values: ['video', 'music'] }), s)).toBe(true);
    expect(holds(c({ subject: 'PAYLOAD', key: 'missing', op: 'NOT_IN', values: ['x'] }), s)).toBe(true);
    expect(holds(c({ subject: 'PAYLOAD', key: 'missing', op: 'GT', number: 0 }), s)).toBe(false);
    // The last 6 hours hold 3 events (1 + 2); the last 48 hours 7.
    expect(holds(c({ subject: 'COUNT', op: 'EQ', number: 3, windowHours: 6 }), s)).toBe(true);
    expect(holds(c({ subject: 'COUNT', op: 'EQ', number: 7, windowHours: 48 }), s)).toBe(true);
    expect(holds(c({ subject: 'SUM', op: 'GT', number: 1.9, windowHours: 6 }), s)).toBe(true);
    expect(holds(c({ subject: 'SEGMENT', op: 'IN', values: ['smb'] }), s)).toBe(false);
    expect(holds(c({ subject: 'PLAN', op: 'EQ', values: ['prepaid-s'] }), s)).toBe(true);
    expect(holds(c({ subject: 'HOUR', op: 'GTE', number: 21 }), s)).toBe(true);
  });

  it('rank matching rules by priority, then score, and give a reason for each rule that does not match', () => {
    const rules = [
      rule('low', { priority: 0, score: 90 }),
      rule('high', { priority: 5, score: 10 }),
      rule('no', { conditions: [c({ subject: 'SEGMENT', op: 'IN', values: ['smb'] })] }),
      rule('other-type', { eventType: 'RECHARGE' }),
    ];
    const { ranked, reasons } = candidates(rules, situation());
    expect(ranked.map((r) => r.id)).toEqual(['high', 'low']);
    expect(reasons).toEqual([expect.objectContaining({ ruleId: 'no', code: 'CONDITION_NOT_MET' })]);
  });
});

const noCounts = { segment: new Map(), brand: new Map() };
const arbiter = (dailyActionCap: number | null = null, dailyBudgetMinor: number | null = null): Arbiter => ({
  store: memoryStore(),
  storefrontId: 's',
  eventKey: '',
  dailyActionCap,
  dailyBudgetMinor,
  stats: noCounts,
  minSample: 20,
});
let events = 0;
/** Arbitration for a new event each time (an event decided again reuses its reservation: see the reservation specs). */
const decideNew = (a: Arbiter, ...rest: Tail<Parameters<typeof arbitrate>>) => arbitrate({ ...a, eventKey: `s:p:${++events}` }, ...rest);
type Tail<T extends unknown[]> = T extends [unknown, ...infer R] ? R : never;

describe('arbitration', () => {
  it('the best rule within its caps wins; a capped channel gives way to the next; a cooldown to the next rule', async () => {
    const store = arbiter();
    const now = AT.getTime();
    const best = rule('best', { priority: 1, channelDailyCap: 1, cooldownMinutes: 0 });
    const first = await decideNew(store, [best], profile, false, now, []);
    expect(first).toMatchObject({ rule: { id: 'best' }, channel: 'SMS' });
    // SMS is at its cap of 1 today: the inbox next.
    expect(await decideNew(store, [best], profile, false, now, [])).toMatchObject({ channel: 'INBOX' });
    // A third: SMS and the inbox are both at their cap of 1 today, so nothing wins.
    const reasonsThird: Reason[] = [];
    expect(await decideNew(store, [best], profile, false, now, reasonsThird)).toBeNull();
    expect(reasonsThird).toEqual([expect.objectContaining({ code: 'CHANNEL_CAP' })]);
  });

  it('budgets and cooldowns are reserved atomically and given back on release', async () => {
    const store = arbiter();
    const now = AT.getTime();
    const once = rule('once', { budget: 1, dailyCap: 10, channelDailyCap: 10 });
    const cooling = rule('cooling', { cooldownMinutes: 60, dailyCap: 10, channelDailyCap: 10 });
    const won = await decideNew(store, [once], profile, false, now, []);
    expect(won).not.toBeNull();
    expect(await decideNew(store, [once], profile, false, now, [])).toBeNull();
    if (won) await releaseWinner(store, won);
    expect(await decideNew(store, [once], profile, false, now, [])).not.toBeNull();
    expect(await decideNew(store, [cooling], profile, false, now, [])).not.toBeNull();
    const reasons: Reason[] = [];
    expect(await decideNew(store, [cooling], profile, false, now + 59 * 60_000, reasons)).toBeNull();
    expect(reasons).toEqual([expect.objectContaining({ code: 'COOLDOWN' })]);
    expect(await decideNew(store, [cooling], profile, false, now + 61 * 60_000, [])).not.toBeNull();
  });

  it('the brand budget holds across rules and customers: when spent, nothing wins and the rule keeps its caps', async () => {
    const a = arbiter(2);
    const now = AT.getTime();
    const r1 = rule('r1', { dailyCap: 10, channelDailyCap: 10, cooldownMinutes: 0 });
    const r2 = rule('r2', { dailyCap: 10, channelDailyCap: 10, cooldownMinutes: 0 });
    expect(await decideNew(a, [r1], profile, false, now, [])).not.toBeNull();
    const second = await decideNew(a, [r2], { ...profile, customerId: 'c2' }, false, now, []);
    expect(second).not.toBeNull();
    const reasons: Reason[] = [];
    expect(await decideNew(a, [r1, r2], profile, false, now, reasons)).toBeNull();
    expect(reasons).toEqual([expect.objectContaining({ ruleId: 'r1', code: 'BRAND_BUDGET' })]);
    // Given back, the budget lets one more through; the refused reservation was given back too.
    if (second) await releaseWinner(a, second);
    expect(await decideNew(a, [r1], profile, false, now, [])).toMatchObject({ rule: { id: 'r1' } });
    expect((await a.store.brandDay('s', '20261130')).actions).toBe(2);
    // Without a cap, actions are counted all the same.
    const uncapped = arbiter(null);
    await decideNew(uncapped, [r1], profile, false, now, []);
    expect((await uncapped.store.brandDay('s', '20261130')).actions).toBe(1);
  });
});

describe('arbitration of a batch', () => {
  it('takes one store call for the whole batch: events of one customer in order, a capped channel giving way to the next', async () => {
    const calls: string[] = [];
    const inner = memoryStore();
    const store = new Proxy(inner, {
      get: (target, name: keyof HotStore) => {
        calls.push(name);
        return target[name];
      },
    });
    const best = rule('best', { channels: ['SMS', 'INBOX'], channelDailyCap: 1, dailyCap: 10 });
    const d = {
      store,
      rules: { rules: () => [best], settings: () => DEFAULT_SETTINGS },
      brands: { stats: async () => noCounts },
      services: { bus: { listenersOf: async (channels: string[]) => channels.map(() => 0) } },
    } as unknown as Decisioning;
    const claimed: Working[] = [1, 2, 3].map((i) => {
      const { event, features } = situation();
      return { i, event: { ...event, eventId: `e${i}` }, key: `s:p:e${i}`, profile, features, reasons: [] };
    });
    const reserved: Working[] = [];
    await choose(d, claimed, AT.getTime(), reserved);
    expect(calls).toEqual(['reserveFirst']);
    expect(claimed.map((w) => w.winner?.channel ?? null)).toEqual(['SMS', 'INBOX', null]);
    expect(reserved.map((w) => w.i)).toEqual([1, 2]);
    expect(claimed[1].reasons.map((r) => r.code)).toEqual(['WON', 'CHANNEL']);
    expect(claimed[2].reasons.map((r) => r.code)).toEqual(['CHANNEL_CAP', 'ALL_CAPPED']);
  });
});

describe('readsContext', () => {
  it('is true for an event type only when one of its rules counts, sums or reads the plan', () => {
    const c = (subject: DecisionCondition['subject']) => ({ subject, op: 'GTE', number: 1, eventType: 'DATA_USAGE' }) as DecisionCondition;
    const rules = [
      rule('payload', { conditions: [c('PAYLOAD')] }),
      rule('plan', { eventType: 'RECHARGE', conditions: [c('SEGMENT'), c('PLAN')] }),
      rule('sum', { eventType: 'APP_USAGE', conditions: [c('SUM')] }),
    ];
    expect(readsContext(rules, 'DATA_USAGE')).toBe(false);
    expect(readsContext(rules, 'RECHARGE')).toBe(true);
    expect(readsContext(rules, 'APP_USAGE')).toBe(true);
    expect(readsContext(rules, 'ROAMING_ENTERED')).toBe(false);
    // A reloaded rule set is read afresh.
    expect(readsContext([...rules, rule('count', { conditions: [c('COUNT')] })], 'DATA_USAGE')).toBe(true);
  });
});
