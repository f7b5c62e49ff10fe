/** The hot store's Lua scripts (redis-store.ts): each one atomic step, keys as redis-store.ts describes them. */

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
export const CLAIM = `${CLAIMABLE}
local a = claimable(redis.call('GET', KEYS[1]), tonumber(ARGV[2]), ARGV[5])
if a == 'DONE' or a == 'BUSY' then return a end
redis.call('SET', KEYS[1], a .. '|' .. ARGV[1] .. '|' .. (tonumber(ARGV[2]) + tonumber(ARGV[3])), 'PX', ARGV[4])
return 'CLAIMED'`;

// KEYS: claim and context of each event; ARGV: token, nowMs, leaseMs, keepMs, contextTtlMs, oldest hour,
// then per event: takeover, type, hour, measure, plan, '1' when its rules read the context. Answers per event DONE,
// BUSY, or the context (its fields and values, as HGETALL; empty when its rules read none of it).
// Hour buckets older than the oldest hour go at most once an hour per customer ('gc': the hour it was last done);
// the context read back is scanned for them, so reading it costs no HGET of 'gc' and no HKEYS. The context's
// lifetime (a day more than the longest window) is set in that same hourly step, not by every event.
export const BEGIN = `${CLAIMABLE}
local token, now, lease, keep, ttl, oldest = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5], tonumber(ARGV[6])
local function drop(ctx, fields)
  for from = 1, #fields, 1000 do redis.call('HDEL', ctx, unpack(fields, from, math.min(from + 999, #fields))) end
end
local out = {}
for i = 1, #KEYS / 2 do
  local claim, ctx, at = KEYS[2 * i - 1], KEYS[2 * i], 6 + (i - 1) * 6
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
    if ARGV[at + 6] == '1' then
      local all = redis.call('HGETALL', ctx)
      local gc = 0
      for j = 1, #all, 2 do if all[j] == 'gc' then gc = tonumber(all[j + 1]) end end
      if gc < hour then
        local kept, old = {}, {}
        for j = 1, #all, 2 do
          local h = tonumber(string.match(all[j], ':(%d+)$'))
          if h and h < oldest then old[#old + 1] = all[j] else kept[#kept + 1] = all[j]; kept[#kept + 1] = all[j + 1] end
        end
        if #old > 0 then drop(ctx, old) end
        redis.call('HSET', ctx, 'gc', hour)
        redis.call('PEXPIRE', ctx, ttl)
        all = kept
      end
      out[i] = all
    else
      if tonumber(redis.call('HGET', ctx, 'gc') or '0') < hour then
        local old = {}
        for _, k in ipairs(redis.call('HKEYS', ctx)) do
          local h = tonumber(string.match(k, ':(%d+)$'))
          if h and h < oldest then old[#old + 1] = k end
        end
        if #old > 0 then drop(ctx, old) end
        redis.call('HSET', ctx, 'gc', hour)
        redis.call('PEXPIRE', ctx, ttl)
      end
      out[i] = {}
    end
  end
end
return out`;

// KEYS: claims; ARGV: '1' (decided: remembered for doneMs) or '0' (released; a counted claim stays marked), doneMs
export const SETTLE = `
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

// One candidate of an event (as HotStore.reserve): the event's reservation reused, or the one it held given back and
// the caps checked and counted. `held` is heldOf's text (store.ts), built here from the same parts.
const RESERVE = `
local function reserve(caps, ev, brand, day, now, brandCap, brandBudget, rule, ch, dailyCap, chCap, cooldown, budget, cost, ttl)
  local held = rule .. '|' .. ch .. '|' .. day .. '|' .. (budget >= 0 and '1' or '0') .. '|' .. cost .. '|' .. brand
  -- The customer's caps in one read (read again only after giving back a different reservation the event held).
  local fields = { ev, 'd:' .. day, 'c:' .. ch .. ':' .. day, 'r:' .. rule }
  local got = redis.call('HMGET', caps, unpack(fields))
  local before = got[1]
  if before == held then return 'OK' end
  if before then
    undo(caps, ev, before)
    got = redis.call('HMGET', caps, unpack(fields))
  end
  if tonumber(got[2] or '0') >= dailyCap then return 'DAILY_CAP' end
  if tonumber(got[3] or '0') >= chCap then return 'CHANNEL_CAP' end
  if tonumber(got[4] or '0') > now then return 'COOLDOWN' end
  if budget >= 0 and tonumber(redis.call('GET', 'dcrm:budget:' .. rule) or '0') >= budget then return 'BUDGET' end
  local b = 'dcrm:brand-spend:' .. brand .. ':' .. day
  if brandCap >= 0 and tonumber(redis.call('HGET', b, 'n') or '0') >= brandCap then return 'BRAND_BUDGET' end
  if brandBudget >= 0 and tonumber(redis.call('HGET', b, 'm') or '0') + tonumber(cost) > brandBudget then return 'BRAND_BUDGET' end
  apply(caps, ev, held, now + cooldown, ttl)
  return 'OK'
end`;

// KEYS: each event's caps; ARGV: the keys' least ttl (ms), then per event: event key, brand, day, nowMs, brand action
// cap (-1: none), brand budget (-1: none), candidates, then per candidate: '1' when it is its rule's first channel,
// rule, channel, dailyCap, channelCap, cooldownMs, budget (-1: none), cost. Tries each event's candidates in order
// (firstReserved in store.ts: CHANNEL_CAP moves on to the rule's next channel, another refusal to the next rule,
// OK and BRAND_BUDGET stop); answers per event the candidates tried.
export const RESERVE_FIRST = `${UNDO}${RESERVE}
local minTtl, at, out = tonumber(ARGV[1]), 1, {}
for i, caps in ipairs(KEYS) do
  local ev, brand, day, now = 'e:' .. ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], tonumber(ARGV[at + 4])
  local brandCap, brandBudget, n = tonumber(ARGV[at + 5]), tonumber(ARGV[at + 6]), tonumber(ARGV[at + 7])
  at = at + 7
  local answers, stopped, nextRule = {}, false, false
  for _ = 1, n do
    if ARGV[at + 1] == '1' then nextRule = false end
    if not stopped and not nextRule then
      local cooldown = tonumber(ARGV[at + 6])
      local a = reserve(caps, ev, brand, day, now, brandCap, brandBudget, ARGV[at + 2], ARGV[at + 3], tonumber(ARGV[at + 4]),
        tonumber(ARGV[at + 5]), cooldown, tonumber(ARGV[at + 7]), ARGV[at + 8], cooldown > minTtl and ARGV[at + 6] or ARGV[1])
      answers[#answers + 1] = a
      if a == 'OK' or a == 'BRAND_BUDGET' then stopped = true elseif a ~= 'CHANNEL_CAP' then nextRule = true end
    end
    at = at + 8
  end
  out[i] = answers
end
return out`;

// KEYS: caps; ARGV: event key, the recorded decision's held reservation ('' : none), its cooldown end (ms), ttl (ms).
export const ADOPT = `${UNDO}
local ev, want = 'e:' .. ARGV[1], ARGV[2]
local before = redis.call('HGET', KEYS[1], ev)
if before == want or (not before and want == '') then return 0 end
if before then undo(KEYS[1], ev, before) end
if want ~= '' then apply(KEYS[1], ev, want, ARGV[3], ARGV[4]) end
return 1`;

// KEYS: caps; ARGV: event key, held: given back only while the event still holds that reservation.
export const RELEASE = `${UNDO}
local ev = 'e:' .. ARGV[1]
if redis.call('HGET', KEYS[1], ev) ~= ARGV[2] then return 0 end
undo(KEYS[1], ev, ARGV[2])
return 1`;
