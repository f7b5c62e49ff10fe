import { databaseNamespace, type MikroORM } from '@dcrm/kit';
import type { Redis } from 'ioredis';
import type { PromotionServices } from '../services.js';
import { memoryBrandStore, redisBrandStore } from './brand-store.js';
import { memoryDeadLetters, redisDeadLetters } from './dead-letters.js';
import type { Decisioning } from './decide.js';
import { memoryStore } from './memory-store.js';
import { decisionMetrics } from './metrics.js';
import { profileCache } from './profiles.js';
import { sharedRedis } from './redis-link.js';
import { redisStore } from './redis-store.js';
import { ruleCache } from './rule-cache.js';
import { EVENT_STREAM } from './stream.js';

export type { Decisioning } from './decide.js';

const instances = new WeakMap<MikroORM, Decisioning>();
/** The Redis connection a decision path's stores share, closed with it. */
const connections = new WeakMap<Decisioning, Redis>();

/** The decision path of one promotion process: hot store (Redis when REDIS_URL is set), caches, metrics. */
export function createDecisioning(orm: MikroORM, services: PromotionServices, env: NodeJS.ProcessEnv = process.env): Decisioning {
  // One connection for the hot store, the brand store, the dead letters and the shared profiles (the stream's blocking read has its own).
  const redis = env.REDIS_URL ? sharedRedis(env.REDIS_URL) : null;
  const d: Decisioning = {
    orm,
    services,
    store: redis ? redisStore(redis) : memoryStore(),
    brands: redis ? redisBrandStore(redis) : memoryBrandStore(),
    rules: ruleCache(orm, services.bus),
    deadLetters: redis ? redisDeadLetters(redis, env.DCRM_EVENTS_STREAM || EVENT_STREAM) : memoryDeadLetters(),
    profiles: profileCache(services, redis ?? undefined, databaseNamespace(orm)),
    metrics: decisionMetrics(),
    token: `${process.pid}:${Math.random().toString(36).slice(2, 10)}`,
  };
  instances.set(orm, d);
  if (redis) connections.set(d, redis);
  return d;
}

/** The decision path a process created for this ORM (tests start extra stream consumers on it). */
export const decisioningOf = (orm: MikroORM): Decisioning | undefined => instances.get(orm);

export async function closeDecisioning(d: Decisioning): Promise<void> {
  await d.rules.close();
  await d.store.close();
  await d.brands.close();
  await d.deadLetters.close();
  await d.profiles.close();
  connections.get(d)?.disconnect();
}
