import type { Redis } from 'ioredis';
import { type RedisLink, redisOf } from './redis-link.js';
import { ADOPT, BEGIN, CLAIM, RELEASE, RESERVE, SETTLE } from './redis-scripts.js';
import {
  type Begun,
  CLAIM_LEASE_MS,
  type ClaimAnswer,
  DONE_TTL_MS,
  FEATURE_HOURS,
  type HotStore,
  heldOf,
  hourOf,
  type Reservation,
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
  dcrmReserve(caps: string, budget: string, brand: string, ...args: (string | number)[]): Promise<string>;
  dcrmRelease(caps: string, eventKey: string, held: string): Promise<number>;
  dcrmAdopt(caps: string, eventKey: string, held: string, cooldownEnd: number, ttlMs: number): Promise<number>;
};

const TWO_DAYS_MS = 2 * 24 * 3_600_000;
const capsKey = (customerId: string) => `dcrm:caps:{${customerId}}`;
const budgetKey = (ruleId: string) => `dcrm:budget:${ruleId}`;
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
 * round trip, atomic); `begin` and `settle` take a whole batch in one call, and the connection
 * auto-pipelines, so a batch's concurrent reservations go out together.
 */
export function redisStore(link: RedisLink): HotStore {
  const { redis: client, owned } = redisOf(link, 'decisioning store');
  const redis = client as Scripted;
  redis.defineCommand('dcrmClaim', { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand('dcrmBegin', { lua: BEGIN });
  redis.defineCommand('dcrmSettle', { lua: SETTLE });
  redis.defineCommand('dcrmReserve', { numberOfKeys: 3, lua: RESERVE });
  redis.defineCommand('dcrmRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('dcrmAdopt', { numberOfKeys: 1, lua: ADOPT });
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
        args.push(item.takeover ? '1' : '0', item.type, hourOf(item.atMs), item.measure, item.plan ?? '');
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
    reserve: async (r: Reservation) =>
      (await redis.dcrmReserve(
        capsKey(r.customerId),
        budgetKey(r.ruleId),
        brandKey(r.storefrontId, r.day),
        r.eventKey,
        heldOf(r),
        r.day,
        r.channel,
        r.dailyCap,
        r.channelDailyCap,
        r.ruleId,
        r.nowMs,
        r.cooldownMs,
        r.budget ?? -1,
        Math.max(TWO_DAYS_MS, r.cooldownMs),
        r.brandActionCap ?? -1,
        r.brandBudgetMinor ?? -1,
        r.costMinor,
      )) as ReserveAnswer,
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
