import { watchRedis } from '@dcrm/kit';
import { Redis } from 'ioredis';
import { dayOf } from './store.js';
import { DECISION_CHANNELS, type DecisionChannel } from './types.js';

/** Days of offers sent and answered that a channel's response rate covers (UTC days, today included). */
export const RATE_DAYS = 7;
/** How long one process reuses a (brand, segment)'s channel counts before reading them again. */
const COUNTS_TTL_MS = 5_000;
const BUDGET_TTL_MS = 2 * 24 * 3_600_000;
const COUNTS_KEEP_MS = (RATE_DAYS + 1) * 24 * 3_600_000;

export type ChannelCounts = { sent: number; responded: number };
/** Per channel, over the last RATE_DAYS days: of the customer's segment, and of the whole brand. */
export type ChannelStats = { segment: Map<DecisionChannel, ChannelCounts>; brand: Map<DecisionChannel, ChannelCounts> };
/** One offer sent on a channel, or one answered (accepted), counted on the day it was sent. */
export type ChannelTally = { storefrontId: string; segment: string; channel: DecisionChannel; day: string };

/**
 * What decisioning keeps per brand, hot, beside the per-customer store: the global daily budget of
 * actions (reserved atomically, like a rule's budget) and, per channel and day, offers sent and
 * answered — brand-wide and per segment — from which channels are ranked. Redis when REDIS_URL is
 * set (every instance shares it), else memory. Nothing here touches the database.
 */
export type BrandStore = {
  /** Takes one action from the brand's budget of `day`, unless `cap` are taken already (null: no cap, only counted). */
  reserveBudget(storefrontId: string, day: string, cap: number | null): Promise<boolean>;
  releaseBudget(storefrontId: string, day: string): Promise<void>;
  budgetUsed(storefrontId: string, day: string): Promise<number>;
  count(kind: 'sent' | 'responded', tallies: ChannelTally[]): Promise<void>;
  /** Sent and answered per channel over the last RATE_DAYS days up to `nowMs`; cached a few seconds per process. */
  stats(storefrontId: string, segment: string, nowMs: number): Promise<ChannelStats>;
  close(): Promise<void>;
};

/** The days a rate covers, newest first. */
const rateDays = (nowMs: number) => Array.from({ length: RATE_DAYS }, (_, i) => dayOf(nowMs - i * 24 * 3_600_000));
const field = (kind: 'sent' | 'responded', segment: string, channel: string) => `${kind === 'sent' ? 's' : 'r'}:${segment}:${channel}`;
/** Brand-wide counts use this segment name (segment codes are the customer subgraph's, never `*`). */
const ALL = '*';

type Raw = (storefrontId: string, days: string[], fields: string[]) => Promise<number[][]>;

function summed(raw: number[][], fields: string[]): ChannelStats {
  const at = new Map(fields.map((f, i) => [f, i]));
  const total = (f: string) => raw.reduce((sum, day) => sum + (day[at.get(f) as number] ?? 0), 0);
  const stats: ChannelStats = { segment: new Map(), brand: new Map() };
  for (const channel of DECISION_CHANNELS) {
    stats.segment.set(channel, { sent: total(`s:seg:${channel}`), responded: total(`r:seg:${channel}`) });
    stats.brand.set(channel, { sent: total(`s:${ALL}:${channel}`), responded: total(`r:${ALL}:${channel}`) });
  }
  return stats;
}

/**
 * Per-process cache of counts over whichever backend reads them raw, and counting through it: what
 * this process counts drops its own cached entry (other instances see it within COUNTS_TTL_MS).
 */
function cachedCounts(
  read: Raw,
  write: (kind: 'sent' | 'responded', tallies: ChannelTally[]) => Promise<void>,
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
    const names = DECISION_CHANNELS.flatMap((ch) => [
      field('sent', segment, ch),
      field('responded', segment, ch),
      field('sent', ALL, ch),
      field('responded', ALL, ch),
    ]);
    // Read under the real segment's fields, summed under neutral names (a segment may be called anything).
    const neutral = DECISION_CHANNELS.flatMap((ch) => [`s:seg:${ch}`, `r:seg:${ch}`, `s:${ALL}:${ch}`, `r:${ALL}:${ch}`]);
    const reading = read(storefrontId, rateDays(nowMs), names).then((raw) => summed(raw, neutral));
    cache.set(key, { stats: reading, until: Date.now() + COUNTS_TTL_MS });
    reading.catch(() => cache.delete(key));
    return reading;
  };
  return { stats, count };
}

// ARGV: cap (-1: none), ttlMs
const BUDGET = `
local cap = tonumber(ARGV[1])
if cap >= 0 and tonumber(redis.call('GET', KEYS[1]) or '0') >= cap then return 0 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

type Scripted = Redis & { dcrmBrandBudget(key: string, cap: number, ttlMs: number): Promise<number> };

/** The brand store on Redis: `dcrm:brand-budget:<brand>:<day>` (actions taken) and `dcrm:chan:<brand>:<day>` (a hash of `s|r:<segment>:<CHANNEL>`). */
export function redisBrandStore(url: string): BrandStore {
  const redis = new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 2 }) as Scripted;
  watchRedis(redis, 'decisioning brand store');
  redis.defineCommand('dcrmBrandBudget', { numberOfKeys: 1, lua: BUDGET });
  const budgetKey = (storefrontId: string, day: string) => `dcrm:brand-budget:${storefrontId}:${day}`;
  const countsKey = (storefrontId: string, day: string) => `dcrm:chan:${storefrontId}:${day}`;
  return {
    reserveBudget: async (storefrontId, day, cap) =>
      (await redis.dcrmBrandBudget(budgetKey(storefrontId, day), cap ?? -1, BUDGET_TTL_MS)) === 1,
    releaseBudget: async (storefrontId, day) => {
      await redis.decr(budgetKey(storefrontId, day));
    },
    budgetUsed: async (storefrontId, day) => Number((await redis.get(budgetKey(storefrontId, day))) ?? 0),
    ...cachedCounts(
      async (storefrontId, days, fields) => {
        const rows = await Promise.all(days.map((day) => redis.hmget(countsKey(storefrontId, day), ...fields)));
        return rows.map((row) => row.map((v) => Number(v ?? 0)));
      },
      async (kind, tallies) => {
        const pipeline = redis.pipeline();
        for (const t of tallies) {
          const key = countsKey(t.storefrontId, t.day);
          pipeline.hincrby(key, field(kind, t.segment, t.channel), 1).hincrby(key, field(kind, ALL, t.channel), 1);
          pipeline.pexpire(key, COUNTS_KEEP_MS);
        }
        await pipeline.exec();
      },
    ),
    close: async () => {
      redis.disconnect();
    },
  };
}

/** The brand store in one process (no REDIS_URL): the same answers, each step synchronous. */
export function memoryBrandStore(): BrandStore {
  const numbers = new Map<string, number>();
  const add = (key: string, by: number) => numbers.set(key, (numbers.get(key) ?? 0) + by);
  return {
    async reserveBudget(storefrontId, day, cap) {
      if (cap !== null && (numbers.get(`b:${storefrontId}:${day}`) ?? 0) >= cap) return false;
      add(`b:${storefrontId}:${day}`, 1);
      return true;
    },
    async releaseBudget(storefrontId, day) {
      add(`b:${storefrontId}:${day}`, -1);
    },
    budgetUsed: async (storefrontId, day) => numbers.get(`b:${storefrontId}:${day}`) ?? 0,
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
