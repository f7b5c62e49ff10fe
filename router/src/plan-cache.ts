import type { GatewayConfig } from '@apollo/gateway';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';

/** What the gateway keeps its query plans in (its `queryPlannerConfig.cache`). */
type PlanCache = NonNullable<NonNullable<GatewayConfig['queryPlannerConfig']>['cache']>;
type Plan = NonNullable<Awaited<ReturnType<PlanCache['get']>>>;

/**
 * The gateway's query-plan cache, sized explicitly and counted. The gateway keys plans by the hash of the
 * operation text and its name, so a client sending the same document (the SDK's, the bench's) plans it once
 * per process; `warm-up.ts` plans the SDK's documents at start. 64 MiB (the gateway's own default is 30)
 * holds thousands of plans, as measured by the gateway's approximate size (a plan's JSON length).
 * `onLookup` hears each lookup: a hit, or a miss the gateway then plans and stores.
 */
export const PLAN_CACHE_MIB = 64;

export function countedPlanCache(onLookup: (hit: boolean) => void, mib = PLAN_CACHE_MIB): PlanCache {
  const store = new InMemoryLRUCache<Plan>({
    maxSize: mib * 2 ** 20,
    sizeCalculation: (plan) => Math.max(1, JSON.stringify(plan)?.length ?? 1),
  });
  return {
    get: async (key) => {
      const plan = await store.get(key);
      onLookup(plan !== undefined);
      return plan;
    },
    set: (key, plan, options) => store.set(key, plan, options),
    delete: (key) => store.delete(key),
    // A new supergraph makes every plan stale: the gateway clears its cache then.
    clear: () => store.clear(),
  };
}
