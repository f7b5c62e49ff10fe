import { type RedisLink, redisOf } from './redis-link.js';
import { dayOf } from './store.js';
import { DECISION_CHANNELS, type DecisionChannel } from './types.js';

/** Days of offers sent and answered that a channel's response rate covers (UTC days, today included). */
export const RATE_DAYS = 7;
/** How long one process reuses a (brand, segment)'s channel counts before reading them again. */
const COUNTS_TTL_MS = 5_000;
const COUNTS_KEEP_MS = (RATE_DAYS + 1) * 24 * 3_600_000;

/** Offers sent, accepted (`responded`) and explicitly declined (dismissed) by their customer. */
export type ChannelCounts = { sent: number; responded: number; declined: number };
export type ResponseKind = 'sent' | 'responded' | 'declined';
/** Per channel, over the last RATE_DAYS days: of the customer's segment, and of the whole brand. */
export type ChannelStats = { segment: Map<DecisionChannel, ChannelCounts>; brand: Map<DecisionChannel, ChannelCounts> };
/** One offer sent on a channel, or one answered (accepted or declined), counted on the day it was sent. */
export type ChannelTally = { storefrontId: string; segment: string; channel: DecisionChannel; day: string };

/**
 * What decisioning keeps per brand, hot, beside the per-customer store (which reserves the brand's
 * daily budget with each action, store.ts): per channel and day, offers sent, accepted and declined —
 * brand-wide and per segment — from which channels are ranked. Redis when REDIS_URL is set (every
 * instance shares it), else memory. Nothing here touches the database.
 */
export type BrandStore = {
  count(kind: ResponseKind, tallies: ChannelTally[]): Promise<void>;
  /** Sent and answered per channel over the last RATE_DAYS days up to `nowMs`; cached a few seconds per process. */
  stats(storefrontId: string, segment: string, nowMs: number): Promise<ChannelStats>;
  close(): Promise<void>;
};

/** The days a rate covers, newest first. */
const rateDays = (nowMs: number) => Array.from({ length: RATE_DAYS }, (_, i) => dayOf(nowMs - i * 24 * 3_600_000));
const PREFIX: Record<ResponseKind, string> = { sent: 's', responded: 'r', declined: 'x' };
const field = (kind: ResponseKind, segment: string, channel: string) => `${PREFIX[kind]}:${segment}:${channel}`;
/** Brand-wide counts use this segment name (segment codes are the customer subgraph's, never `*`). */
const ALL = '*';

type Raw = (storefrontId: string, days: string[], fields: string[]) => Promise<number[][]>;

function summed(raw: number[][], fields: string[]): ChannelStats {
  const at = new Map(fields.map((f, i) => [f, i]));
  const total = (f: string) => raw.reduce((sum, day) => sum + (day[at.get(f) as number] ?? 0), 0);
  const stats: ChannelStats = { segment: new Map(), brand: new Map() };
  for (const channel of DECISION_CHANNELS) {
    const of = (scope: string) => ({
      sent: total(`s:${scope}:${channel}`),
      responded: total(`r:${scope}:${channel}`),
      declined: total(`x:${scope}:${channel}`),
    });
    stats.segment.set(channel, of('seg'));
    stats.brand.set(channel, of(ALL));
  }
  return stats;
}

/**
 * Per-process cache of counts over whichever backend reads them raw, and counting through it: what
 * this process counts drops its own cached entry (other instances see it within COUNTS_TTL_MS).
 */
function cachedCounts(
  read: Raw,
  write: (kind: ResponseKind, tallies: ChannelTally[]) => Promise<void>,
): Pick<BrandStore, 'stats' | 'count'> {
  const cache = new Map<string, { stats: Promise<ChannelStats>; until: number }>();
  const keyOf = (storefrontId: string, segment: string) => `${storefrontId}\n${segment}`;
  const count: BrandStore['count'] = async (kind, tallies) => {
    if (tallies.length === 0) return;
    await write(kind, tallies);
    for (const t of tallies) cache.delete(keyOf(t.storefrontId, t.segment));
  };
  const stats: BrandStore['stats'] = (storefrontId, segment, nowMs) => {
    const key = keyOf(storefrontId, segment);
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.stats;
    if (cache.size > 10_000) cache.clear();
    const kinds: ResponseKind[] = ['sent', 'responded', 'declined'];
    const names = DECISION_CHANNELS.flatMap((ch) => kinds.flatMap((k) => [field(k, segment, ch), field(k, ALL, ch)]));
    // Read under the real segment's fields, summed under neutral names (a segment may be called anything).
    const neutral = DECISION_CHANNELS.flatMap((ch) => kinds.flatMap((k) => [field(k, 'seg', ch), field(k, ALL, ch)]));
    const reading = read(storefrontId, rateDays(nowMs), names).then((raw) => summed(raw, neutral));
    cache.set(key, { stats: reading, until: Date.now() + COUNTS_TTL_MS });
    reading.catch(() => cache.delete(key));
    return reading;
  };
  return { stats, count };
}

/** The brand store on Redis: `dcrm:chan:<brand>:<day>`, a hash of `s|r|x:<segment>:<CHANNEL>` (sent, accepted, declined). */
export function redisBrandStore(link: RedisLink): BrandStore {
  const { redis, owned } = redisOf(link, 'decisioning brand store');
  const countsKey = (storefrontId: string, day: string) => `dcrm:chan:${storefrontId}:${day}`;
  return {
    ...cachedCounts(
      async (storefrontId, days, fields) => {
        const rows = await Promise.all(days.map((day) => redis.hmget(countsKey(storefrontId, day), ...fields)));
        return rows.map((row) => row.map((v) => Number(v ?? 0)));
      },
      async (kind, tallies) => {
        // Summed per hash and field first: a batch's offers share a few (brand, day, segment, channel), so it
        // sends a few increments rather than three commands per offer.
        const byKey = new Map<string, Map<string, number>>();
        for (const t of tallies) {
          const key = countsKey(t.storefrontId, t.day);
          let fields = byKey.get(key);
          if (!fields) {
            fields = new Map();
            byKey.set(key, fields);
          }
          for (const f of [field(kind, t.segment, t.channel), field(kind, ALL, t.channel)]) fields.set(f, (fields.get(f) ?? 0) + 1);
        }
        const pipeline = redis.pipeline();
        for (const [key, fields] of byKey) {
          for (const [f, n] of fields) pipeline.hincrby(key, f, n);
          pipeline.pexpire(key, COUNTS_KEEP_MS);
        }
        await pipeline.exec();
      },
    ),
    close: async () => {
      if (owned) redis.disconnect();
    },
  };
}

/** The brand store in one process (no REDIS_URL): the same answers, each step synchronous. */
export function memoryBrandStore(): BrandStore {
  const numbers = new Map<string, number>();
  const add = (key: string, by: number) => numbers.set(key, (numbers.get(key) ?? 0) + by);
  return {
    ...cachedCounts(
      async (storefrontId, days, fields) => days.map((day) => fields.map((f) => numbers.get(`c:${storefrontId}:${day}:${f}`) ?? 0)),
      async (kind, tallies) => {
        for (const t of tallies) {
          add(`c:${t.storefrontId}:${t.day}:${field(kind, t.segment, t.channel)}`, 1);
          add(`c:${t.storefrontId}:${t.day}:${field(kind, ALL, t.channel)}`, 1);
        }
      },
    ),
    async close() {},
  };
}
