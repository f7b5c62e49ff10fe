import { Redis } from 'ioredis';

/**
 * Counts failures per key in a fixed window; a key over its limit is refused until the window ends.
 * Redis when REDIS_URL is set (shared by every instance), in-memory otherwise.
 */
export type Throttle = {
  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string, limit: number): Promise<number>;
  fail(key: string, windowSeconds: number): Promise<void>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
};

export function memoryThrottle(now: () => number = Date.now): Throttle {
  const counts = new Map<string, { count: number; until: number }>();
  const live = (key: string) => {
    const entry = counts.get(key);
    if (entry && entry.until <= now()) counts.delete(key);
    return counts.get(key);
  };
  return {
    retryAfter: async (key, limit) => {
      const entry = live(key);
      return entry && entry.count >= limit ? Math.ceil((entry.until - now()) / 1000) : 0;
    },
    fail: async (key, windowSeconds) => {
      const entry = live(key);
      if (entry) entry.count += 1;
      else counts.set(key, { count: 1, until: now() + windowSeconds * 1000 });
    },
    reset: async (key) => {
      counts.delete(key);
    },
    close: async () => {},
  };
}

export function redisThrottle(url: string, prefix = 'dcrm:throttle:'): Throttle {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  return {
    retryAfter: async (key, limit) => {
      const [count, ttl] = await Promise.all([redis.get(prefix + key), redis.ttl(prefix + key)]);
      return Number(count ?? 0) >= limit ? Math.max(ttl, 1) : 0;
    },
    fail: async (key, windowSeconds) => {
      const count = await redis.incr(prefix + key);
      if (count === 1) await redis.expire(prefix + key, windowSeconds);
    },
    reset: async (key) => {
      await redis.del(prefix + key);
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

export const openThrottle = (env: NodeJS.ProcessEnv = process.env): Throttle =>
  env.REDIS_URL ? redisThrottle(env.REDIS_URL) : memoryThrottle();
