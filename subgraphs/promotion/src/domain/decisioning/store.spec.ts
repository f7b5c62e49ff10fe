import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.js';
import { redisStore } from './redis-store.js';
import { type BeginItem, dayOf, FEATURE_HOURS, type HotStore, hourOf, MAX_WINDOW_HOURS, windowed } from './store.js';

/** The hot store's claim-and-count contract, the same for memory and (with REDIS_URL) Redis. */
const stores: [string, HotStore][] = [['memory', memoryStore()]];
if (process.env.REDIS_URL) stores.push(['redis', redisStore(process.env.REDIS_URL)]);
afterAll(async () => {
  for (const [, store] of stores) await store.close();
});

const TYPE = 'DATA_USAGE';

describe.each(stores)('the %s hot store', (_, store) => {
  const item = (key: string, customerId: string, takeover = false, context = true): BeginItem => ({
    key,
    takeover,
    customerId,
    type: TYPE,
    measure: 0.5,
    atMs: Date.now(),
    plan: null,
    context,
  });
  const count = (features: { buckets: Map<string, { count: number }> } | null) =>
    features?.buckets.get(`${TYPE}:${hourOf(Date.now())}`)?.count ?? 0;

  it('counts an event once, whether its claim is taken over, released and claimed again, or resent once decided', async () => {
    const customer = randomUUID();
    const key = `test:${randomUUID()}`;
    const [first] = await store.begin('a', [item(key, customer)]);
    expect(first.claim).toBe('CLAIMED');
    expect(count(first.features)).toBe(1);
    // Another consumer, not taking over: the claim is busy and nothing is counted.
    expect((await store.begin('b', [item(key, customer)]))[0]).toEqual({ claim: 'BUSY', features: null });
    // Taken over (the first consumer presumed dead): claimed, not counted again.
    const [taken] = await store.begin('b', [item(key, customer, true)]);
    expect(taken.claim).toBe('CLAIMED');
    expect(count(taken.features)).toBe(1);
    // Released after a failure, then claimed again: still counted once.
    await store.settle([key], false);
    const [again] = await store.begin('c', [item(key, customer)]);
    expect(count(again.features)).toBe(1);
    await store.settle([key], true);
    expect((await store.begin('d', [item(key, customer, true)]))[0]).toEqual({ claim: 'DONE', features: null });
    // A second event of the customer counts.
    const [next] = await store.begin('d', [item(`test:${randomUUID()}`, customer)]);
    expect(count(next.features)).toBe(2);
  });

  it('answers each event of a batch in order, a duplicate within the batch being busy', async () => {
    const customer = randomUUID();
    const keys = [`test:${randomUUID()}`, `test:${randomUUID()}`];
    const answers = await store.begin('a', [item(keys[0], customer), item(keys[1], customer), item(keys[0], customer)]);
    expect(answers.map((a) => a.claim)).toEqual(['CLAIMED', 'CLAIMED', 'BUSY']);
    expect(count(answers[1].features)).toBe(2);
    await store.settle(keys, true);
  });
});

describe.each(stores)('the %s hot store, for an event whose rules read no context', (name, store) => {
  it('counts it all the same (the next event that reads the context sees it); Redis sends no context back', async () => {
    const customer = randomUUID();
    const at = Date.now();
    const base = { customerId: customer, type: TYPE, measure: 2, atMs: at, plan: null };
    const [blind] = await store.begin('a', [{ ...base, key: `test:${randomUUID()}`, takeover: false, context: false }]);
    expect(blind.claim).toBe('CLAIMED');
    if (name === 'redis') expect(blind.features?.buckets.size).toBe(0);
    const [seeing] = await store.begin('a', [{ ...base, key: `test:${randomUUID()}`, takeover: false, context: true }]);
    expect(seeing.features?.buckets.get(`${TYPE}:${hourOf(at)}`)).toEqual({ count: 2, sum: 4 });
  });
});

describe.skipIf(!process.env.REDIS_URL)('the Redis hot store’s context', () => {
  it('drops hour buckets older than it keeps, whether the event reads the context or not, and sends none of them back', async () => {
    const { Redis } = await import('ioredis');
    const redis = new Redis(process.env.REDIS_URL as string);
    const store = stores.find(([n]) => n === 'redis')?.[1] as HotStore;
    try {
      for (const context of [true, false]) {
        const customer = randomUUID();
        const ctx = `dcrm:ctx:{${customer}}`;
        const old = hourOf(Date.now()) - 24 * 9;
        await redis.hset(ctx, `n:${TYPE}:${old}`, 5, `s:${TYPE}:${old}`, 7, `n:${TYPE}:${old + 48}`, 1);
        const [begun] = await store.begin('a', [
          {
            key: `test:${randomUUID()}`,
            takeover: false,
            customerId: customer,
            type: TYPE,
            measure: 0,
            atMs: Date.now(),
            plan: null,
            context,
          },
        ]);
        if (context)
          expect([...(begun.features?.buckets.keys() ?? [])].sort()).toEqual(
            [`${TYPE}:${hourOf(Date.now())}`, `${TYPE}:${old + 48}`].sort(),
          );
        expect(await redis.hexists(ctx, `n:${TYPE}:${old}`)).toBe(0);
        expect(await redis.hexists(ctx, `s:${TYPE}:${old}`)).toBe(0);
        expect(await redis.hget(ctx, `n:${TYPE}:${old + 48}`)).toBe('1');
        await redis.del(ctx);
      }
    } finally {
      redis.disconnect();
    }
  });
});

describe.skipIf(!process.env.REDIS_URL)('the Redis hot store’s context lifetime', () => {
  it('is set for FEATURE_HOURS by the first event of each hour of the customer, not again by every event', async () => {
    const { Redis } = await import('ioredis');
    const redis = new Redis(process.env.REDIS_URL as string);
    const store = stores.find(([n]) => n === 'redis')?.[1] as HotStore;
    const begin = (customerId: string, context: boolean) =>
      store.begin('a', [
        { key: `test:${randomUUID()}`, takeover: false, customerId, type: TYPE, measure: 1, atMs: Date.now(), plan: null, context },
      ]);
    try {
      for (const context of [true, false]) {
        const customer = randomUUID();
        const ctx = `dcrm:ctx:{${customer}}`;
        await begin(customer, context);
        // A week of windows and a day to spare from the hour's first event.
        expect(await redis.pttl(ctx)).toBeGreaterThan((FEATURE_HOURS - 1) * 3_600_000);
        expect(FEATURE_HOURS).toBeGreaterThan(MAX_WINDOW_HOURS + 1);
        // Later events of the hour leave it as it is…
        await redis.pexpire(ctx, 600_000);
        await begin(customer, context);
        expect(await redis.pttl(ctx)).toBeLessThanOrEqual(600_000);
        // …the first of the next hour sets it again.
        await redis.hset(ctx, 'gc', hourOf(Date.now()) - 1);
        await begin(customer, context);
        expect(await redis.pttl(ctx)).toBeGreaterThan((FEATURE_HOURS - 1) * 3_600_000);
        expect(await redis.hget(ctx, `n:${TYPE}:${hourOf(Date.now())}`)).toBe('3');
        await redis.del(ctx);
      }
    } finally {
      redis.disconnect();
    }
  });
});

describe('dayOf', () => {
  it('names the UTC day of any time, asked in any order (the last day is kept, never stale)', () => {
    const midnight = Date.UTC(2026, 11, 1);
    for (const [ms, day] of [
      [midnight - 1, '20261130'],
      [midnight, '20261201'],
      [midnight - 1, '20261130'],
      [Date.UTC(2024, 1, 29, 13), '20240229'],
      [midnight + 86_399_999, '20261201'],
      [midnight + 86_400_000, '20261202'],
    ] as const)
      expect(dayOf(ms)).toBe(day);
  });
});

describe('windowed counts and sums', () => {
  const at = Date.UTC(2026, 10, 30, 12, 30);
  const now = hourOf(at);
  /** The window summed the plain way: a key per hour, oldest first. */
  const reference = (buckets: Map<string, { count: number; sum: number }>, type: string, hours: number) => {
    let count = 0;
    let sum = 0;
    for (let h = now - hours + 1; h <= now; h++) {
      const b = buckets.get(`${type}:${h}`);
      if (b) {
        count += b.count;
        sum += b.sum;
      }
    }
    return { count, sum };
  };

  it('read from a few buckets: only the type’s, only inside the window, summed oldest first to the last bit', () => {
    // Inserted newest first, with sums whose total depends on the order they are added in.
    const buckets = new Map<string, { count: number; sum: number }>([
      [`DATA_USAGE:${now}`, { count: 1, sum: 0.1 }],
      [`DATA_USAGE:${now - 3}`, { count: 2, sum: 0.7 }],
      [`DATA_USAGE:${now - 5}`, { count: 1, sum: 0.2 }],
      [`DATA_USAGE:${now - 30}`, { count: 9, sum: 9 }],
      [`DATA_USAGE:${now + 1}`, { count: 9, sum: 9 }],
      [`APP_USAGE:${now}`, { count: 4, sum: 300.5 }],
      // Another type whose name starts like the first, and a key that is no hour of it.
      [`DATA_USAGE:X:${now}`, { count: 8, sum: 8 }],
      [`DATA_USAGE:0${now}`, { count: 8, sum: 8 }],
    ]);
    const features = { buckets, plan: null };
    for (const hours of [1, 4, 6, 24]) expect(windowed(features, 'DATA_USAGE', hours, at)).toEqual(reference(buckets, 'DATA_USAGE', hours));
    expect(windowed(features, 'DATA_USAGE', 6, at)).toEqual({ count: 4, sum: 0.2 + 0.7 + 0.1 });
    expect(windowed(features, 'APP_USAGE', 24, at)).toEqual({ count: 4, sum: 300.5 });
    expect(windowed(features, 'ROAMING_ENTERED', 24, at)).toEqual({ count: 0, sum: 0 });
  });

  it('the same from more buckets than the window has hours', () => {
    const buckets = new Map<string, { count: number; sum: number }>();
    for (let h = 0; h < 60; h++) buckets.set(`DATA_USAGE:${now - h}`, { count: h, sum: h / 10 });
    const features = { buckets, plan: null };
    for (const hours of [6, 24, 48]) expect(windowed(features, 'DATA_USAGE', hours, at)).toEqual(reference(buckets, 'DATA_USAGE', hours));
  });
});
