import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type DeadLetters, memoryDeadLetters, redisDeadLetters } from './dead-letters.js';

/** Dead letters kept per brand, the same in memory and (with REDIS_URL, on a stream of this spec's own) on Redis. */
const url = process.env.REDIS_URL;
const stream = `dcrm-test:events:${randomUUID()}`;
const kinds: [string, DeadLetters][] = [['memory', memoryDeadLetters()]];
if (url) kinds.push(['redis', redisDeadLetters(url, stream)]);
afterAll(async () => {
  for (const [, letters] of kinds) await letters.close();
  if (url) {
    const redis = new Redis(url);
    await redis.del(`${stream}.dead`);
    redis.disconnect();
  }
});

describe.each(kinds)('dead letters in %s', (_, letters) => {
  const brand = randomUUID();
  const other = randomUUID();
  const letter = (storefront: string, id: string, reasons: string[]) => ({
    fields: ['storefront', storefront, 'producer', 'mediation-eu1', 'id', id, 'type', 'DATA_USAGE', 'msisdn', '+3538000000'],
    reasons,
  });

  it('are read by their brand only, newest first, by reason, a page at a time, with counts by reason', async () => {
    await letters.add([letter(brand, 'e1', ['UNKNOWN_CUSTOMER']), letter(other, 'x1', ['UNKNOWN_TYPE'])]);
    await letters.add([letter(brand, 'e2', ['INVALID_PAYLOAD', 'UNKNOWN_TYPE'])]);
    await letters.add([letter(brand, 'e3', ['UNKNOWN_CUSTOMER'])]);
    const first = await letters.page(brand, null, null, 2);
    expect(first.rows.map((r) => r.eventId)).toEqual(['e3', 'e2', 'e1']);
    expect(first.more).toBe(true);
    expect(first.rows[1]).toMatchObject({ producer: 'mediation-eu1', type: 'DATA_USAGE', reasons: ['INVALID_PAYLOAD', 'UNKNOWN_TYPE'] });
    expect(first.rows[1]).not.toHaveProperty('msisdn');
    const next = await letters.page(brand, null, first.rows[1].entryId, 2);
    expect(next.rows.map((r) => r.eventId)).toEqual(['e1']);
    expect(next.more).toBe(false);
    expect((await letters.page(brand, 'UNKNOWN_TYPE', null, 10)).rows.map((r) => r.eventId)).toEqual(['e2']);
    expect(await letters.counts(brand)).toEqual([
      { reason: 'UNKNOWN_CUSTOMER', count: 2 },
      { reason: 'INVALID_PAYLOAD', count: 1 },
    ]);
    expect((await letters.page(other, null, null, 10)).rows.map((r) => r.eventId)).toEqual(['x1']);
  });

  it('letters the stream consumer wrote itself are counted', async () => {
    const own = randomUUID();
    await letters.counted([
      { id: '1-0', ...letter(own, 'c1', ['MAX_DELIVERIES']) },
      { id: '1-1', fields: [], reasons: ['MISSING_STOREFRONT'] },
    ]);
    expect(await letters.counts(own)).toEqual([{ reason: 'MAX_DELIVERIES', count: 1 }]);
  });
});
