import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { watchRedis } from './redis-watch.js';

/** At most `points` actions per key in any window of `durationSeconds` (a fixed window from the key's first action). */
export type RateLimit = { points: number; durationSeconds: number };

export type Admitted = { ok: true } | { ok: false; retryAfter: number };

/** Counts actions per key: `consume` admits one more or says how long to wait. */
export type RateLimiter = {
  consume(key: string): Promise<Admitted>;
  close(): Promise<void>;
};

/**
 * A limiter for one kind of action (rate-limiter-flexible): counters in Redis when REDIS_URL is set,
 * shared by every instance, in memory otherwise; while Redis is away an in-memory insurance limiter
 * answers rather than failing the action (as the sign-in guard does).
 */
export function openRateLimiter(name: string, limit: RateLimit, env: NodeJS.ProcessEnv = process.env): RateLimiter {
  const options = { keyPrefix: name, points: limit.points, duration: limit.durationSeconds };
  const memory = new RateLimiterMemory(options);
  const redis = env.REDIS_URL ? new Redis(env.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
  if (redis) watchRedis(redis, `rate limit ${name}`);
  const limiter = redis
    ? new RateLimiterRedis({
        ...options,
        keyPrefix: `dcrm:${name}`,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;
  let connected: Promise<unknown> | undefined;
  const connect = () => {
    if (!redis) return;
    connected ??= Promise.race([redis.connect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    return connected;
  };
  return {
    consume: async (key) => {
      await connect();
      try {
        await limiter.consume(key);
        return { ok: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { ok: false, retryAfter: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
        throw error;
      }
    },
    close: async () => {
      redis?.disconnect();
    },
  };
}

/** `N/SECONDS` (e.g. `20/3600`) from an environment variable, else `fallback`; a malformed value fails at start. */
export function rateLimitFrom(name: string, fallback: RateLimit, env: NodeJS.ProcessEnv = process.env): RateLimit {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const points = Number(match?.[1]);
  const durationSeconds = Number(match?.[2]);
  if (!match || points < 1 || durationSeconds < 1) throw new Error(`${name} must be N/SECONDS, e.g. 20/3600`);
  return { points, durationSeconds };
}
