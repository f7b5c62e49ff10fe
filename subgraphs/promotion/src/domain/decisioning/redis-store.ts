import type { Redis } from 'ioredis';
import { type RedisLink, redisOf } from './redis-link.js';
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

// Shared by CLAIM and BEGIN: answers DONE, BUSY, or the claim's counted flag ('t' or 'p') when it may be taken.
const CLAIMABLE = `
local function claimable(v, now, takeover)
  if v == 'd' then return 'DONE' end
  if not v then return 'p' end
  local state, untilMs = string.match(v, '^(%a)|.*|(%d+)$')
  if tonumber(untilMs or '0') > now and takeover ~= '1' then return 'BUSY' end
  if state == 't' then return 't' end
  return 'p'
end`;

// KEYS: claim; ARGV: token, nowMs, leaseMs, keepMs, takeover
const CLAIM = `${CLAIMABLE}
local a = claimable(redis.call('GET', KEYS[1]), tonumber(ARGV[2]), ARGV[5])
if a == 'DONE' or a == 'BUSY' then return a end
redis.call('SET', KEYS[1], a .. '|' .. ARGV[1] .. '|' .. (tonumber(ARGV[2]) + tonumber(ARGV[3])), 'PX', ARGV[4])
return 'CLAIMED'`;

// KEYS: claim and context of each event; ARGV: token, nowMs, leaseMs, keepMs, contextTtlMs, oldest hour,
// then per event: takeover, type, hour, measure, plan. Answers per event DONE, BUSY, or the context (HGETALL).
const BEGIN = `${CLAIMABLE}
local token, now, lease, keep, ttl, oldest = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5], tonumber(ARGV[6])
local out = {}
for i = 1, #KEYS / 2 do
  local claim, ctx, at = KEYS[2 * i - 1], KEYS[2 * i], 6 + (i - 1) * 5
  local a = claimable(redis.call('GET', claim), now, ARGV[at + 1])
  if a == 'DONE' or a == 'BUSY' then
    out[i] = a
  else
    if a == 'p' then
      local f = ARGV[at + 2] .. ':' .. ARGV[at + 3]
      redis.call('HINCRBY', ctx, 'n:' .. f, 1)
      if tonumber(ARGV[at + 4]) ~= 0 then redis.call('HINCRBYFLOAT', ctx, 's:' .. f, ARGV[at + 4]) end
      if ARGV[at + 5] ~= '' then redis.call('HSET', ctx, 'plan', ARGV[at + 5]) end
    end
    redis.call('SET', claim, 't|' .. token .. '|' .. (now + lease), 'PX', keep)
    local hour = tonumber(ARGV[at + 3])
    if tonumber(redis.call('HGET', ctx, 'gc') or '0') < hour then
      for _, k in ipairs(redis.call('HKEYS', ctx)) do
        local h = tonumber(string.match(k, ':(%d+)$'))
        if h and h < oldest then redis.call('HDEL', ctx, k) end
      end
      redis.call('HSET', ctx, 'gc', hour)
    end
    redis.call('PEXPIRE', ctx, ttl)
    out[i] = redis.call('HGETALL', ctx)
  end
end
return out`;

// KEYS: claims; ARGV: '1' (decided: remembered for doneMs) or '0' (released; a counted claim stays marked), doneMs
const SETTLE = `
for _, k in ipairs(KEYS) do
  if ARGV[1] == '1' then redis.call('SET', k, 'd', 'PX', ARGV[2])
  else
    local v = redis.call('GET', k)
    if v and string.sub(v, 1, 1) == 't' then redis.call('SET', k, 't||0', 'KEEPTTL') elseif v ~= 'd' then redis.call('DEL', k) end
  end
end
return #KEYS`;

// Gives back a held reservation (`<rule>|<channel>|<day>|<budgeted>|<cost>|<brand>`, see heldOf) and forgets it.
const UNDO = `
local function undo(caps, field, held)
  local rule, ch, day, budgeted, cost, brand = string.match(held, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)$')
  redis.call('HDEL', caps, field)
  if not rule then return end
  redis.call('HINCRBY', caps, 'd:' .. day, -1)
  redis.call('HINCRBY', caps, 'c:' .. ch .. ':' .. day, -1)
  redis.call('HDEL', caps, 'r:' .. rule)
  if budgeted == '1' then redis.call('DECR', 'dcrm:budget:' .. rule) end
  local b = 'dcrm:brand-spend:' .. brand .. ':' .. day
  redis.call('HINCRBY', b, 'n', -1)
  if tonumber(cost) ~= 0 then redis.call('HINCRBY', b, 'm', -tonumber(cost)) end
end
-- Counts a held reservation under the event (caps checked, or its action already taken): cooldown end (ms), keys' ttl (ms).
local function apply(caps, field, held, cooldownEnd, ttl)
  local rule, ch, day, budgeted, cost, brand = string.match(held, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)$')
  if budgeted == '1' then redis.call('INCR', 'dcrm:budget:' .. rule) end
  local b = 'dcrm:brand-spend:' .. brand .. ':' .. day
  redis.call('HINCRBY', b, 'n', 1)
  if tonumber(cost) ~= 0 then redis.call('HINCRBY', b, 'm', tonumber(cost)) end
  redis.call('PEXPIRE', b, ttl)
  redis.call('HINCRBY', caps, 'd:' .. day, 1)
  redis.call('HINCRBY', caps, 'c:' .. ch .. ':' .. day, 1)
  redis.call('HSET', caps, 'r:' .. rule, cooldownEnd, field, held)
  if redis.call('PTTL', caps) < tonumber(ttl) then redis.call('PEXPIRE', caps, ttl) end
end`;

// KEYS: caps, rule budget, brand day; ARGV: event key, held (heldOf), day, channel, dailyCap, channelCap, ruleId, nowMs,
// cooldownMs, budget (-1: none), ttlMs, brand action cap (-1: none), brand budget (-1: none), cost
const RESERVE = `${UNDO}
local caps, ev, held = KEYS[1], 'e:' .. ARGV[1], ARGV[2]
local before = redis.call('HGET', caps, ev)
if before == held then return 'OK' end
if before then undo(caps, ev, before) end
local day, ch = 'd:' .. ARGV[3], 'c:' .. ARGV[4] .. ':' .. ARGV[3]
if tonumber(redis.call('HGET', caps, day) or '0') >= tonumber(ARGV[5]) then return 'DAILY_CAP' end
if tonumber(redis.call('HGET', caps, ch) or '0') >= tonumber(ARGV[6]) then return 'CHANNEL_CAP' end
if tonumber(redis.call('HGET', caps, 'r:' .. ARGV[7]) or '0') > tonumber(ARGV[8]) then return 'COOLDOWN' end
local budget, cost = tonumber(ARGV[10]), tonumber(ARGV[14])
if budget >= 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= budget then return 'BUDGET' end
local brandCap, brandBudget = tonumber(ARGV[12]), tonumber(ARGV[13])
if brandCap >= 0 and tonumber(redis.call('HGET', KEYS[3], 'n') or '0') >= brandCap then return 'BRAND_BUDGET' end
if brandBudget >= 0 and tonumber(redis.call('HGET', KEYS[3], 'm') or '0') + cost > brandBudget then return 'BRAND_BUDGET' end
apply(caps, ev, held, tonumber(ARGV[8]) + tonumber(ARGV[9]), ARGV[11])
return 'OK'`;

// KEYS: caps; ARGV: event key, the recorded decision's held reservation ('' : none), its cooldown end (ms), ttl (ms).
const ADOPT = `${UNDO}
local ev, want = 'e:' .. ARGV[1], ARGV[2]
local before = redis.call('HGET', KEYS[1], ev)
if before == want or (not before and want == '') then return 0 end
if before then undo(KEYS[1], ev, before) end
if want ~= '' then apply(KEYS[1], ev, want, ARGV[3], ARGV[4]) end
return 1`;

// KEYS: caps; ARGV: event key, held: given back only while the event still holds that reservation.
const RELEASE = `${UNDO}
local ev = 'e:' .. ARGV[1]
if redis.call('HGET', KEYS[1], ev) ~= ARGV[2] then return 0 end
undo(KEYS[1], ev, ARGV[2])
return 1`;

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
