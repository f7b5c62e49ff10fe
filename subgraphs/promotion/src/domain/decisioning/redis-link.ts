import { watchRedis } from '@dcrm/kit';
import { Redis } from 'ioredis';

/**
 * Where a decisioning store keeps its data on Redis: a URL (the store opens and closes its own
 * connection) or a client shared with the process's other decisioning stores (its owner closes it).
 * Every command they send is short and non-blocking, so one auto-pipelined connection serves them all;
 * only the stream consumer's blocking read needs its own.
 */
export type RedisLink = string | Redis;

/** A client for `link` and whether the caller owns it (closes it with the store). */
export function redisOf(link: RedisLink, name: string): { redis: Redis; owned: boolean } {
  if (typeof link !== 'string') return { redis: link, owned: false };
  return { redis: sharedRedis(link, name), owned: true };
}

/** One auto-pipelined client, watched (its outages logged once), for the decisioning stores of a process. */
export function sharedRedis(url: string, name = 'decisioning'): Redis {
  const redis = new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 2 });
  watchRedis(redis, name);
  return redis;
}
