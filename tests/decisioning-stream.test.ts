import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { decisioningOf } from '../subgraphs/promotion/src/domain/decisioning/index.js';
import { eventKey } from '../subgraphs/promotion/src/domain/decisioning/store.js';
import { EVENT_GROUP, startDecisionStream } from '../subgraphs/promotion/src/domain/decisioning/stream.js';
import { customType, decisionRows, decisionRule, until } from './support/decisioning.js';
import { type Gql, KEYS, registerCustomer, STOREFRONT_IDS, startWithManager } from './support/stack.js';

/**
 * The high-volume path: entries XADDed to a Redis stream, read by a consumer group. Each test uses a
 * stream of its own and starts its consumers on the promotion subgraph's decision path, as further
 * promotion instances would. Needs the Redis at REDIS_URL.
 */
const url = process.env.REDIS_URL;
let stack: Stack;
let redis: Redis;
let manager: Gql;

beforeAll(async () => {
  if (!url) return;
  ({ stack, manager } = await startWithManager());
  redis = new Redis(url);
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.stop();
});

const decisioning = () => {
  const promotion = stack.subgraphs.find((s) => s.definition.name === 'promotion');
  const d = promotion && decisioningOf(promotion.orm);
  if (!d) throw new Error('promotion decisioning not running');
  return d;
};

/** XADDs events (field pairs as the README documents them) in one pipeline. */
async function append(stream: string, entries: Record<string, string>[]): Promise<void> {
  const pipeline = redis.pipeline();
  for (const fields of entries) pipeline.xadd(stream, '*', ...Object.entries(fields).flat());
  await pipeline.exec();
}

const entry = (producer: string, type: string, account: string, id = randomUUID()) => ({
  storefront: STOREFRONT_IDS.volt,
  producer,
  id,
  type,
  account,
  at: new Date().toISOString(),
  payload: JSON.stringify({ value: 1 }),
});

const pendingCount = async (stream: string) => ((await redis.xpending(stream, EVENT_GROUP)) as [number])[0];

describe.skipIf(!url)('the event stream', () => {
  it('two consumers of one group never decide one event twice; resent entries and bad entries are acknowledged too', async () => {
    const stream = `dcrm-test:events:${randomUUID()}`;
    const type = await customType(manager);
    await decisionRule(manager, { eventType: type, dailyCap: 100 });
    const customers = await Promise.all(
      Array.from({ length: 3 }, () => registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'stream' })),
    );
    const producer = `two-${randomUUID().slice(0, 8)}`;
    const entries = Array.from({ length: 300 }, (_, i) => entry(producer, type, customers[i % 3].id));
    // 30 resent by the producer (at-least-once in), 5 that are no event of any brand.
    const resent = entries.slice(0, 30).map((e) => ({ ...e }));
    const bad = Array.from({ length: 5 }, () => ({ producer, id: randomUUID(), type }));
    const d = decisioning();
    const a = await startDecisionStream(d, url as string, { stream, consumer: 'a', count: 50 });
    const b = await startDecisionStream(d, url as string, { stream, consumer: 'b', count: 50 });
    try {
      await append(stream, [...entries.slice(0, 150), ...resent, ...bad, ...entries.slice(150)]);
      await until(async () => (await decisionRows(stack, producer)).length >= 300 && (await pendingCount(stream)) === 0, 'all decided');
    } finally {
      await a.stop();
      await b.stop();
      await redis.del(stream);
    }
    const rows = await decisionRows(stack, producer);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(300);
    expect(a.stats.accepted + b.stats.accepted).toBe(300);
    expect(a.stats.duplicate + b.stats.duplicate).toBe(30);
    expect(a.stats.rejected + b.stats.rejected).toBe(5);
  });

  it('a consumer killed mid-batch (read, never acknowledged) loses nothing: another takes its entries over and decides each once', async () => {
    const stream = `dcrm-test:events:${randomUUID()}`;
    const type = await customType(manager);
    await decisionRule(manager, { eventType: type });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'stream' });
    const producer = `killed-${randomUUID().slice(0, 8)}`;
    const entries = Array.from({ length: 60 }, () => entry(producer, type, customer.id));
    await redis.xgroup('CREATE', stream, EVENT_GROUP, '0', 'MKSTREAM');
    await append(stream, entries);
    // The doomed consumer reads all 60, claims the first 10 event ids in the hot store, then dies.
    const read = (await redis.xreadgroup('GROUP', EVENT_GROUP, 'doomed', 'COUNT', 100, 'STREAMS', stream, '>')) as [string, unknown[]][];
    expect(read[0][1]).toHaveLength(60);
    const d = decisioning();
    for (const e of entries.slice(0, 10))
      expect(await d.store.claim(eventKey(e.storefront, producer, e.id), 'doomed', false)).toBe('CLAIMED');
    expect(await pendingCount(stream)).toBe(60);

    const survivor = await startDecisionStream(d, url as string, { stream, consumer: 'survivor', minIdleMs: 300, reclaimEveryMs: 200 });
    try {
      await until(async () => (await pendingCount(stream)) === 0, 'entries reclaimed and acknowledged');
    } finally {
      await survivor.stop();
      await redis.del(stream);
    }
    const rows = await decisionRows(stack, producer);
    expect(rows.map((r) => r.event_id).sort()).toEqual(entries.map((e) => e.id).sort());
    expect(survivor.stats).toEqual({ accepted: 60, duplicate: 0, rejected: 0, dead: 0 });
  });
});
