import { watchRedis } from '@dcrm/kit';
import { Redis } from 'ioredis';
import { CLAIM_LEASE_MS, DONE_TTL_MS, FEATURE_HOURS, type HotStore, hourOf, type Reservation, type ReserveAnswer } from './store.js';
import type { Features } from './types.js';

/**
 * Keys (a customer's keys share a hash tag, so they stay on one node of a cluster):
 * - `dcrm:decide:seen:<brand>:<producer>:<event id>`: a claim (`p:<token>`, leased) or `d` once decided;
 * - `dcrm:ctx:{<customer>}`: the hot context hash — `n:<TYPE>:<epoch hour>` counts, `s:<TYPE>:<epoch hour>` sums, `plan`;
 * - `dcrm:caps:{<customer>}`: `d:<day>` actions that day, `c:<CHANNEL>:<day>` per channel, `r:<rule>` cooldown end (ms);
 * - `dcrm:budget:<rule>`: actions the rule has taken (its budget).
 */
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 'CLAIMED' end
if v == 'd' then return 'DONE' end
if ARGV[3] == '1' then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 'CLAIMED' end
return 'BUSY'`;

const TOUCH = `
local f = ARGV[1] .. ':' .. ARGV[2]
redis.call('HINCRBY', KEYS[1], 'n:' .. f, 1)
if tonumber(ARGV[3]) ~= 0 then redis.call('HINCRBYFLOAT', KEYS[1], 's:' .. f, ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'plan', ARGV[4]) end
local hour = tonumber(ARGV[2])
if tonumber(redis.call('HGET', KEYS[1], 'gc') or '0') < hour then
  local oldest = tonumber(ARGV[6])
  for _, k in ipairs(redis.call('HKEYS', KEYS[1])) do
    local h = tonumber(string.match(k, ':(%d+)$'))
    if h and h < oldest then redis.call('HDEL', KEYS[1], k) end
  end
  redis.call('HSET', KEYS[1], 'gc', hour)
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return redis.call('HGETALL', KEYS[1])`;

// ARGV: day, channel, dailyCap, channelCap, ruleId, nowMs, cooldownMs, budget (-1: none), ttlMs
const RESERVE = `
local day, ch = 'd:' .. ARGV[1], 'c:' .. ARGV[2] .. ':' .. ARGV[1]
if tonumber(redis.call('HGET', KEYS[1], day) or '0') >= tonumber(ARGV[3]) then return 'DAILY_CAP' end
if tonumber(redis.call('HGET', KEYS[1], ch) or '0') >= tonumber(ARGV[4]) then return 'CHANNEL_CAP' end
if tonumber(redis.call('HGET', KEYS[1], 'r:' .. ARGV[5]) or '0') > tonumber(ARGV[6]) then return 'COOLDOWN' end
if tonumber(ARGV[8]) >= 0 then
  if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[8]) then return 'BUDGET' end
  redis.call('INCR', KEYS[2])
end
redis.call('HINCRBY', KEYS[1], day, 1)
redis.call('HINCRBY', KEYS[1], ch, 1)
redis.call('HSET', KEYS[1], 'r:' .. ARGV[5], tonumber(ARGV[6]) + tonumber(ARGV[7]))
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[9]) then redis.call('PEXPIRE', KEYS[1], ARGV[9]) end
return 'OK'`;

const RELEASE = `
redis.call('HINCRBY', KEYS[1], 'd:' .. ARGV[1], -1)
redis.call('HINCRBY', KEYS[1], 'c:' .. ARGV[2] .. ':' .. ARGV[1], -1)
redis.call('HDEL', KEYS[1], 'r:' .. ARGV[3])
if ARGV[4] == '1' then redis.call('DECR', KEYS[2]) end
return 1`;

type Scripted = Redis & {
  dcrmClaim(key: string, token: string, leaseMs: number, takeover: string): Promise<string>;
  dcrmTouch(key: string, type: string, hour: number, measure: number, plan: string, ttlMs: number, oldest: number): Promise<string[]>;
  dcrmReserve(caps: string, budget: string, ...args: (string | number)[]): Promise<string>;
  dcrmRelease(caps: string, budget: string, day: string, channel: string, ruleId: string, budgeted: string): Promise<number>;
};

const TWO_DAYS_MS = 2 * 24 * 3_600_000;
const capsKey = (customerId: string) => `dcrm:caps:{${customerId}}`;
const budgetKey = (ruleId: string) => `dcrm:budget:${ruleId}`;

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
 * round trip, atomic); the connection auto-pipelines, so a batch's concurrent calls go out together.
 */
export function redisStore(url: string): HotStore {
  const redis = new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 2 }) as Scripted;
  watchRedis(redis, 'decisioning store');
  redis.defineCommand('dcrmClaim', { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand('dcrmTouch', { numberOfKeys: 1, lua: TOUCH });
  redis.defineCommand('dcrmReserve', { numberOfKeys: 2, lua: RESERVE });
  redis.defineCommand('dcrmRelease', { numberOfKeys: 2, lua: RELEASE });
  const seen = (key: string) => `dcrm:decide:seen:${key}`;
  return {
    claim: async (key, token, takeover) =>
      (await redis.dcrmClaim(seen(key), `p:${token}`, CLAIM_LEASE_MS, takeover ? '1' : '0')) as 'CLAIMED' | 'DONE' | 'BUSY',
    settle: async (key, done) => {
      if (done) await redis.set(seen(key), 'd', 'PX', DONE_TTL_MS);
      else await redis.del(seen(key));
    },
    touch: async (customerId, type, measure, atMs, plan) =>
      parseFeatures(
        await redis.dcrmTouch(
          `dcrm:ctx:{${customerId}}`,
          type,
          hourOf(atMs),
          measure,
          plan ?? '',
          FEATURE_HOURS * 3_600_000,
          hourOf(Date.now()) - FEATURE_HOURS,
        ),
      ),
    reserve: async (r: Reservation) =>
      (await redis.dcrmReserve(
        capsKey(r.customerId),
        budgetKey(r.ruleId),
        r.day,
        r.channel,
        r.dailyCap,
        r.channelDailyCap,
        r.ruleId,
        r.nowMs,
        r.cooldownMs,
        r.budget ?? -1,
        Math.max(TWO_DAYS_MS, r.cooldownMs),
      )) as ReserveAnswer,
    release: async (r) => {
      await redis.dcrmRelease(capsKey(r.customerId), budgetKey(r.ruleId), r.day, r.channel, r.ruleId, r.budget === null ? '0' : '1');
    },
    close: async () => {
      redis.disconnect();
    },
  };
}
