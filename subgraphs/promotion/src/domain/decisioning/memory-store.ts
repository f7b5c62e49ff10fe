import { CLAIM_LEASE_MS, type ClaimAnswer, DONE_TTL_MS, FEATURE_HOURS, type HotStore, hourOf, type ReserveAnswer } from './store.js';
import type { Features } from './types.js';

type Claim = { value: string; until: number };
type Caps = { counts: Map<string, number>; cooldowns: Map<string, number> };

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
      c = { counts: new Map(), cooldowns: new Map() };
      caps.set(customerId, c);
    }
    return c;
  };
  const add = (m: Map<string, number>, key: string, by: number) => m.set(key, (m.get(key) ?? 0) + by);
  return {
    async claim(key, token, takeover): Promise<ClaimAnswer> {
      const current = claims.get(key);
      const live = current && current.until > now() ? current : null;
      if (live?.value === 'd') return 'DONE';
      if (live && !takeover) return 'BUSY';
      claims.set(key, { value: token, until: now() + CLAIM_LEASE_MS });
      return 'CLAIMED';
    },
    async settle(key, done) {
      if (done) claims.set(key, { value: 'd', until: now() + DONE_TTL_MS });
      else claims.delete(key);
    },
    async touch(customerId, type, measure, atMs, plan) {
      let f = features.get(customerId);
      if (!f) {
        f = { buckets: new Map(), plan: null };
        features.set(customerId, f);
      }
      const key = `${type}:${hourOf(atMs)}`;
      const bucket = f.buckets.get(key) ?? { count: 0, sum: 0 };
      bucket.count += 1;
      bucket.sum += measure;
      f.buckets.set(key, bucket);
      if (plan) f.plan = plan;
      const oldest = hourOf(now()) - FEATURE_HOURS;
      for (const k of f.buckets.keys()) if (Number(k.slice(k.lastIndexOf(':') + 1)) < oldest) f.buckets.delete(k);
      return { buckets: new Map(f.buckets), plan: f.plan };
    },
    async reserve(r): Promise<ReserveAnswer> {
      const c = capsOf(r.customerId);
      if ((c.counts.get(`d:${r.day}`) ?? 0) >= r.dailyCap) return 'DAILY_CAP';
      if ((c.counts.get(`c:${r.channel}:${r.day}`) ?? 0) >= r.channelDailyCap) return 'CHANNEL_CAP';
      if ((c.cooldowns.get(r.ruleId) ?? 0) > r.nowMs) return 'COOLDOWN';
      if (r.budget !== null && (budgets.get(r.ruleId) ?? 0) >= r.budget) return 'BUDGET';
      if (r.budget !== null) add(budgets, r.ruleId, 1);
      add(c.counts, `d:${r.day}`, 1);
      add(c.counts, `c:${r.channel}:${r.day}`, 1);
      c.cooldowns.set(r.ruleId, r.nowMs + r.cooldownMs);
      return 'OK';
    },
    async release(r) {
      const c = capsOf(r.customerId);
      add(c.counts, `d:${r.day}`, -1);
      add(c.counts, `c:${r.channel}:${r.day}`, -1);
      c.cooldowns.delete(r.ruleId);
      if (r.budget !== null) add(budgets, r.ruleId, -1);
    },
    async close() {},
  };
}
