import type { Redis } from 'ioredis';
import { loggerFor } from './logger.js';

export type RedisLog = (line: string) => void;

/** What a watched client's owner checks before sending a command that would otherwise wait for Redis. */
export type RedisHealth = {
  /** Redis was lost and has not come back: fall back at once instead of queueing. */
  readonly down: boolean;
};

/**
 * Gives an ioredis client its 'error' listener (without one ioredis prints "Unhandled error event" at
 * every reconnect attempt) and logs an outage twice: once when it starts, once when it ends, with how
 * long it lasted. Reconnecting is left to ioredis.
 */
export function watchRedis(client: Redis, name: string, log: RedisLog = (line) => loggerFor('redis').warn(line)): RedisHealth {
  let lostAt: number | null = null;
  let downSince: number | null = null;
  client.on('close', () => {
    lostAt ??= Date.now();
  });
  client.on('error', (error: Error) => {
    if (downSince !== null) return;
    downSince = lostAt ?? Date.now();
    log(`${name}: Redis unavailable (${error.message}); degrading until it is back`);
  });
  client.on('ready', () => {
    if (downSince !== null) log(`${name}: Redis back after ${((Date.now() - downSince) / 1000).toFixed(1)} s`);
    downSince = null;
    lostAt = null;
  });
  return {
    get down() {
      return downSince !== null;
    },
  };
}
