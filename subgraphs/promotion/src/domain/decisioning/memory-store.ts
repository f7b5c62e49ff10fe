import {
  type Begun,
  type BrandDay,
  CLAIM_LEASE_MS,
  type ClaimAnswer,
  DONE_TTL_MS,
  FEATURE_HOURS,
  firstReserved,
  type HotStore,
  heldOf,
  hourOf,
  type Reservation,
  type ReserveAnswer,
} from './store.js';
import type { Features } from './types.js';

/** `value`: the holder's token, `d` once decided, or '' once released; `counted`: the event is in its customer's context. */
type Claim = { value: string; until: number; counted: boolean; kept: number };
/** `held`: per event key, the reservation it holds (heldOf) and what it counted, to give back. */
type Caps = { counts: Map<string, number>; cooldowns: Map<string, number>; held: Map<string, { held: string; r: Reservation }> };

/**
 * The hot store in one process (no REDIS_URL): the same answers as the Redis store, each step
 * synchronous and so atomic. Not shared: with several instances, set REDIS_URL.
 */
export function memoryStore(now: () => number = Date.now): HotStore {
  const claims = new Map<string, Claim>();
  const features = new Map<string, Features>();
  const caps = new Map<string, Caps>();
  const budgets = new Map<string, number>();
  const capsOf = (customerId: string) => {
    let c = caps.get(customerId);
    if (!c) {
      c = { counts: new Map(), cooldowns: new Map(), held: new Map() };
      caps.set(customerId, c);
    }
    return c;
  };
  const brandDays = new Map<string, BrandDay>();
  const add = (m: Map<string, number>, key: string, by: number) => m.set(key, (m.get(key) ?? 0) + by);
  const brandOf = (storefrontId: string, day: string) => {
    let b = brandDays.get(`${storefrontId}:${day}`);
    if (!b) {
      b = { actions: 0, spentMinor: 0 };
      brandDays.set(`${storefrontId}:${day}`, b);
    }
    return b;
  };
  /** Gives back what an event's reservation counted, and forgets it. */
  const undo = (c: Caps, eventKey: string, r: Reservation) => {
    c.held.delete(eventKey);
    add(c.counts, `d:${r.day}`, -1);
    add(c.counts, `c:${r.channel}:${r.day}`, -1);
    c.cooldowns.delete(r.ruleId);
    if (r.budget !== null) add(budgets, r.ruleId, -1);
    const brand = brandOf(r.storefrontId, r.day);
    brand.actions -= 1;
    brand.spentMinor -= r.costMinor;
  };
  /** Counts a reservation under its event (its caps already checked, or its action already taken). */
  const apply = (c: Caps, r: Reservation, held: string) => {
    if (r.budget !== null) add(budgets, r.ruleId, 1);
    const brand = brandOf(r.storefrontId, r.day);
    brand.actions += 1;
    brand.spentMinor += r.costMinor;
    add(c.counts, `d:${r.day}`, 1);
    add(c.counts, `c:${r.channel}:${r.day}`, 1);
    c.cooldowns.set(r.ruleId, r.nowMs + r.cooldownMs);
    c.held.set(r.eventKey, { held, r });
  };
  const take = (key: string, token: string, takeover: boolean): ClaimAnswer => {
    const current = claims.get(key);
    const kept = current && current.kept > now() ? current : null;
    if (kept?.value === 'd') return 'DONE';
    if (kept?.value && kept.until > now() && !takeover) return 'BUSY';
    claims.set(key, { value: token, until: now() + CLAIM_LEASE_MS, counted: kept?.counted ?? false, kept: now() + DONE_TTL_MS });
    return 'CLAIMED';
  };
  const touch = (customerId: string, type: string, measure: number, atMs: number, plan: string | null, count: boolean): Features => {
    let f = features.get(customerId);
    if (!f) {
      f = { buckets: new Map(), plan: null };
      features.set(customerId, f);
    }
    if (count) {
      const key = `${type}:${hourOf(atMs)}`;
      const bucket = f.buckets.get(key) ?? { count: 0, sum: 0 };
      bucket.count += 1;
      bucket.sum += measure;
      f.buckets.set(key, bucket);
      if (plan) f.plan = plan;
    }
    const oldest = hourOf(now()) - FEATURE_HOURS;
    for (const k of f.buckets.keys()) if (Number(k.slice(k.lastIndexOf(':') + 1)) < oldest) f.buckets.delete(k);
    return { buckets: new Map(f.buckets), plan: f.plan };
  };
  /** Reserves `r` under its event (the contract: HotStore.reserve), synchronously and so atomically. */
  const reserve = (r: Reservation): ReserveAnswer => {
    const c = capsOf(r.customerId);
    const held = heldOf(r);
    const before = c.held.get(r.eventKey);
    if (before?.held === held) return 'OK';
    if (before) undo(c, r.eventKey, before.r);
    if ((c.counts.get(`d:${r.day}`) ?? 0) >= r.dailyCap) return 'DAILY_CAP';
    if ((c.counts.get(`c:${r.channel}:${r.day}`) ?? 0) >= r.channelDailyCap) return 'CHANNEL_CAP';
    if ((c.cooldowns.get(r.ruleId) ?? 0) > r.nowMs) return 'COOLDOWN';
    if (r.budget !== null && (budgets.get(r.ruleId) ?? 0) >= r.budget) return 'BUDGET';
    const brand = brandOf(r.storefrontId, r.day);
    if (r.brandActionCap !== null && brand.actions >= r.brandActionCap) return 'BRAND_BUDGET';
    if (r.brandBudgetMinor !== null && brand.spentMinor + r.costMinor > r.brandBudgetMinor) return 'BRAND_BUDGET';
    apply(c, r, held);
    return 'OK';
  };
  return {
    claim: async (key, token, takeover) => take(key, token, takeover),
    async begin(token, items): Promise<Begun[]> {
      return items.map((item) => {
        const answer = take(item.key, token, item.takeover);
        if (answer !== 'CLAIMED') return { claim: answer, features: null };
        const claim = claims.get(item.key) as Claim;
        const features = touch(item.customerId, item.type, item.measure, item.atMs, item.plan, !claim.counted);
        claim.counted = true;
        return { claim: 'CLAIMED', features };
      });
    },
    async settle(keys, done) {
      for (const key of keys) {
        const claim = claims.get(key);
        if (done) claims.set(key, { value: 'd', until: 0, counted: true, kept: now() + DONE_TTL_MS });
        else if (claim?.counted && claim.value !== 'd') claims.set(key, { ...claim, value: '', until: 0 });
        else if (claim?.value !== 'd') claims.delete(key);
      }
    },
    reserve: async (r) => reserve(r),
    reserveFirst: async (events) => events.map((candidates) => firstReserved(candidates, reserve)),
    async release(r) {
      const c = capsOf(r.customerId);
      const before = c.held.get(r.eventKey);
      if (before?.held === heldOf(r)) undo(c, r.eventKey, before.r);
    },
    async adopt(eventKey, customerId, recorded) {
      const c = capsOf(customerId);
      const before = c.held.get(eventKey);
      const held = recorded ? heldOf(recorded) : null;
      if (before?.held === held || (!before && !held)) return;
      if (before) undo(c, eventKey, before.r);
      if (recorded && held) apply(c, recorded, held);
    },
    brandDay: async (storefrontId, day) => ({ ...(brandDays.get(`${storefrontId}:${day}`) ?? { actions: 0, spentMinor: 0 }) }),
    async close() {},
  };
}
