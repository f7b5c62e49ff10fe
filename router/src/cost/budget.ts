import { watchRedis } from '@dcrm/kit/redis-watch.js';
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** A client's bucket: how many cost points it holds and how many come back per second. */
export type CostBudget = { maximumAvailable: number; restoreRate: number };

export type CostSettings = CostBudget & {
  /** The most one operation may cost, whatever the bucket holds (Shopify: 1000). */
  maxQueryCost: number;
  /** Redis key prefix: routers sharing one prefix share the buckets. */
  keyPrefix: string;
  /** Buckets in Redis when set (shared by every router), in this process otherwise. */
  redisUrl: string | null;
};

export type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
export type Spend = { ok: true; status: ThrottleStatus } | { ok: false; status: ThrottleStatus; retryAfterSeconds: number };

export type CostBuckets = {
  /** Takes `cost` points from `subject`'s bucket, or refuses (taking nothing) when it holds fewer. */
  spend(subject: string, cost: number, budget: CostBudget): Promise<Spend>;
  /** The bucket as it is, nothing taken. */
  status(subject: string, budget: CostBudget): Promise<ThrottleStatus>;
  /**
   * Resolves once the shared store answers (at once without Redis), or after `timeoutMs`: a router
   * that waits for it counts its first requests in the shared buckets, not in its own insurance.
   */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

const positive = (env: NodeJS.ProcessEnv, name: string, fallback: number) => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
};

/** Defaults for a storefront (Shopify-like), overridable by `DCRM_COST_*` and then by `overrides`. */
export function costSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<CostSettings> = {}): CostSettings {
  return {
    maximumAvailable: positive(env, 'DCRM_COST_BUCKET_SIZE', 2000),
    restoreRate: positive(env, 'DCRM_COST_RESTORE_RATE', 100),
    maxQueryCost: positive(env, 'DCRM_COST_MAX_QUERY', 1000),
    keyPrefix: env.DCRM_COST_REDIS_PREFIX || 'dcrm:cost',
    redisUrl: env.REDIS_URL || null,
    ...overrides,
  };
}

/**
 * One rate-limiter-flexible limiter per budget: `points` = the bucket, refilled whole every
 * bucket ÷ restore-rate seconds (a fixed window, so the long-run rate is the restore rate). In Redis
 * when configured, with an in-memory limiter as insurance: a Redis outage degrades to per-router
 * buckets, never to failed requests.
 */
export function openCostBuckets(settings: Pick<CostSettings, 'keyPrefix' | 'redisUrl'>): CostBuckets {
  // No offline queue and a connection check in each limiter: while Redis is away, commands fail at once
  // and the memory insurance counts; the outage is logged when it starts and when it ends. Auto-pipelining
  // sends the spends of requests handled in one event-loop turn as one socket write (each is its own
  // script call, answered in order): a write is a system call, dear on a virtual machine.
  const redis = settings.redisUrl
    ? new Redis(settings.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true })
    : null;
  if (redis) watchRedis(redis, 'query cost buckets');
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiter = (budget: CostBudget) => {
    const name = `${budget.maximumAvailable}:${budget.restoreRate}`;
    let found = limiters.get(name);
    if (!found) {
      const options = {
        keyPrefix: `${settings.keyPrefix}:${name}`,
        points: budget.maximumAvailable,
        duration: Math.max(1, Math.ceil(budget.maximumAvailable / budget.restoreRate)),
      };
      const memory = new RateLimiterMemory(options);
      found = redis
        ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory })
        : memory;
      limiters.set(name, found);
    }
    return found;
  };
  const status = (budget: CostBudget, consumed: number): ThrottleStatus => ({
    maximumAvailable: budget.maximumAvailable,
    currentlyAvailable: Math.max(0, budget.maximumAvailable - consumed),
    restoreRate: budget.restoreRate,
  });

  return {
    async spend(subject, cost, budget) {
      const bucket = limiter(budget);
      try {
        const taken = await bucket.consume(subject, cost);
        return { ok: true, status: status(budget, taken.consumedPoints) };
      } catch (refused) {
        if (!(refused instanceof RateLimiterRes)) throw refused;
        // A refused request takes nothing: give back what consume counted.
        await bucket.reward(subject, cost).catch(() => {});
        return {
          ok: false,
          status: status(budget, refused.consumedPoints - cost),
          retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)),
        };
      }
    },
    async status(subject, budget) {
      const found = await limiter(budget)
        .get(subject)
        .catch(() => null);
      return status(budget, found?.consumedPoints ?? 0);
    },
    async ready(timeoutMs = 2000) {
      if (!redis || redis.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          redis.off('ready', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        redis.once('ready', done);
      });
    },
    async close() {
      redis?.disconnect();
    },
  };
}
