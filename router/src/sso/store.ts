import { watchRedis } from '@dcrm/kit/redis-watch.js';
import { Redis } from 'ioredis';

/**
 * Short-lived, single-use values (a pending sign-in by its state, a one-time code): put once, taken
 * once. In Redis when configured, so the browser may come back to any router; in memory otherwise
 * (one router). No fallback from Redis to memory: another router could not take what this one put.
 */
export type OneTimeStore = {
  put(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** The value, removed; null when absent, expired or already taken. */
  take<T>(key: string): Promise<T | null>;
  close(): Promise<void>;
};

const MAX_ENTRIES = 100_000;

function memoryStore(): OneTimeStore {
  const entries = new Map<string, { value: unknown; expires: number }>();
  return {
    put: async (key, value, ttlMs) => {
      const now = Date.now();
      if (entries.size >= 1_000) for (const [k, e] of entries) if (e.expires < now) entries.delete(k);
      // Still full: the oldest go first (insertion order).
      while (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expires: now + ttlMs });
    },
    take: async <T>(key: string) => {
      const hit = entries.get(key);
      entries.delete(key);
      return hit && hit.expires >= Date.now() ? (hit.value as T) : null;
    },
    close: async () => entries.clear(),
  };
}

function redisStore(url: string, prefix: string): OneTimeStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  watchRedis(redis, 'sign-in state');
  return {
    put: async (key, value, ttlMs) => {
      await redis.set(`${prefix}:${key}`, JSON.stringify(value), 'PX', ttlMs);
    },
    take: async <T>(key: string) => {
      const raw = await redis.getdel(`${prefix}:${key}`);
      return raw === null ? null : (JSON.parse(raw) as T);
    },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

export const openOneTimeStore = (redisUrl: string | null, prefix: string): OneTimeStore =>
  redisUrl ? redisStore(redisUrl, prefix) : memoryStore();
