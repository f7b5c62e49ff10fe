import type { Redis } from 'ioredis';
import { type RedisLink, redisOf } from './redis-link.js';
import { ADOPT, BEGIN, CLAIM, RELEASE, RESERVE_FIRST, SETTLE } from './redis-scripts.js';
import {
  type Begun,
  type Candidates,
  CLAIM_LEASE_MS,
  type ClaimAnswer,
  DONE_TTL_MS,
  FEATURE_HOURS,
  type HotStore,
  heldOf,
  hourOf,
  type ReserveAnswer,
} from './store.js';
import type { Features } from './types.js';

/**
 * Keys (a customer's keys share a hash tag):
 * - `dcrm:decide:seen:<brand>:<producer>:<event id>`: `d` once decided, else a claim `<state>|<token>|<lease end ms>` —
 *   state `p` (claimed) or `t` (claimed, counted into the context); released after a failure: `t||0` (or gone);
 * - `dcrm:ctx:{<customer>}`: the hot context hash — `n:<TYPE>:<epoch hour>` counts, `s:<TYPE>:<epoch hour>` sums, `plan`;
 * - `dcrm:caps:{<customer>}`: `d:<day>` actions that day, `c:<CHANNEL>:<day>` per channel, `r:<rule>` cooldown end (ms),
 *   `e:<brand>:<producer>:<event id>` the reservation the event holds (heldOf), so deciding it again reuses it;
 * - `dcrm:budget:<rule>`: actions the rule has taken (its budget);
 * - `dcrm:brand-spend:<brand>:<day>`: the brand's day — `n` actions, `m` their cost (minor units).
 * The batch scripts touch keys of many customers: the store needs one Redis primary, not a cluster.
 */

type Scripted = Redis & {
  dcrmClaim(key: string, token: string, nowMs: number, leaseMs: number, keepMs: number, takeover: string): Promise<string>;
  dcrmBegin(numberOfKeys: number, ...args: (string | number)[]): Promise<(string | string[])[]>;
  dcrmSettle(numberOfKeys: number, ...args: string[]): Promise<number>;
  dcrmReserveFirst(numberOfKeys: number, ...args: (string | number)[]): Promise<ReserveAnswer[][]>;
  dcrmRelease(caps: string, eventKey: string, held: string): Promise<number>;
  dcrmAdopt(caps: string, eventKey: string, held: string, cooldownEnd: number, ttlMs: number): Promise<number>;
};

const TWO_DAYS_MS = 2 * 24 * 3_600_000;
const capsKey = (customerId: string) => `dcrm:caps:{${customerId}}`;
const brandKey = (storefrontId: string, day: string) => `dcrm:brand-spend:${storefrontId}:${day}`;

function parseFeatures(flat: string[]): Features {
  const features: Features = { buckets: new Map(), plan: null };
  for (let i = 0; i < flat.length; i += 2) {
    const field = flat[i];
    if (field === 'plan') features.plan = flat[i + 1];
    else if (field.startsWith('n:') || field.startsWith('s:')) {
      const key = field.slice(2);
      let bucket = features.buckets.get(key);
      if (!bucket) {
        bucket = { count: 0, sum: 0 };
        features.buckets.set(key, bucket);
      }
      if (field[0] === 'n') bucket.count = Number(flat[i + 1]);
      else bucket.sum = Number(flat[i + 1]);
    }
  }
  return features;
}

/**
 * The hot store on Redis, shared by every promotion instance. Each method is one Lua script (one
 * round trip, atomic); `begin`, `reserveFirst` and `settle` take a whole batch in one call, and the
 * connection auto-pipelines what the batch's events send on their own (releases, adoptions).
 */
export function redisStore(link: RedisLink): HotStore {
  const { redis: client, owned } = redisOf(link, 'decisioning store');
  const redis = client as Scripted;
  redis.defineCommand('dcrmClaim', { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand('dcrmBegin', { lua: BEGIN });
  redis.defineCommand('dcrmSettle', { lua: SETTLE });
  redis.defineCommand('dcrmReserveFirst', { lua: RESERVE_FIRST });
  redis.defineCommand('dcrmRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('dcrmAdopt', { numberOfKeys: 1, lua: ADOPT });
  /** One script call for the batch: keys first, then the arguments RESERVE_FIRST reads, each event's from its first candidate. */
  const reserveFirst = async (events: readonly Candidates[]): Promise<ReserveAnswer[][]> => {
    if (events.length === 0) return [];
    const keys: string[] = [];
    const args: (string | number)[] = [TWO_DAYS_MS];
    for (const candidates of events) {
      const first = candidates.find((channels) => channels.length > 0)?.[0];
      if (!first) {
        // Nothing to try: a placeholder keeps the answers in step with the events.
        keys.push(capsKey(''));
        args.push('', '', '', 0, -1, -1, 0);
        continue;
      }
      keys.push(capsKey(first.customerId));
      const at = args.length;
      args.push(first.eventKey, first.storefrontId, first.day, first.nowMs, first.brandActionCap ?? -1, first.brandBudgetMinor ?? -1, 0);
      let n = 0;
      for (const channels of candidates)
        for (let c = 0; c < channels.length; c++) {
          const r = channels[c];
          args.push(c === 0 ? '1' : '0', r.ruleId, r.channel, r.dailyCap, r.channelDailyCap, r.cooldownMs, r.budget ?? -1, r.costMinor);
          n++;
        }
      args[at + 6] = n;
    }
    return redis.dcrmReserveFirst(keys.length, ...keys, ...args);
  };
  const seen = (key: string) => `dcrm:decide:seen:${key}`;
  return {
    claim: async (key, token, takeover) =>
      (await redis.dcrmClaim(seen(key), token, Date.now(), CLAIM_LEASE_MS, DONE_TTL_MS, takeover ? '1' : '0')) as ClaimAnswer,
    begin: async (token, items) => {
      if (items.length === 0) return [];
      const keys: string[] = [];
      const args: (string | number)[] = [
        token,
        Date.now(),
        CLAIM_LEASE_MS,
        DONE_TTL_MS,
        FEATURE_HOURS * 3_600_000,
        hourOf(Date.now()) - FEATURE_HOURS,
      ];
      for (const item of items) {
        keys.push(seen(item.key), `dcrm:ctx:{${item.customerId}}`);
        args.push(item.takeover ? '1' : '0', item.type, hourOf(item.atMs), item.measure, item.plan ?? '', item.context ? '1' : '0');
      }
      const answers = await redis.dcrmBegin(keys.length, ...keys, ...args);
      return answers.map(
        (a): Begun =>
          typeof a === 'string' ? { claim: a as 'DONE' | 'BUSY', features: null } : { claim: 'CLAIMED', features: parseFeatures(a) },
      );
    },
    settle: async (keys, done) => {
      if (keys.length) await redis.dcrmSettle(keys.length, ...keys.map(seen), done ? '1' : '0', String(DONE_TTL_MS));
    },
    reserveFirst,
    reserve: async (r) => (await reserveFirst([[[r]]]))[0][0],
    release: async (r) => {
      await redis.dcrmRelease(capsKey(r.customerId), r.eventKey, heldOf(r));
    },
    adopt: async (eventKey, customerId, r) => {
      const ttl = r ? Math.max(TWO_DAYS_MS, r.cooldownMs) : 0;
      await redis.dcrmAdopt(capsKey(customerId), eventKey, r ? heldOf(r) : '', r ? r.nowMs + r.cooldownMs : 0, ttl);
    },
    brandDay: async (storefrontId, day) => {
      const [n, m] = await redis.hmget(brandKey(storefrontId, day), 'n', 'm');
      return { actions: Number(n ?? 0), spentMinor: Number(m ?? 0) };
    },
    close: async () => {
      if (owned) redis.disconnect();
    },
  };
}
