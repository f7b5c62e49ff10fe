import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { loggerFor } from '@dcrm/kit/logger.js';
import { GraphQLError } from 'graphql';
import type { RouterContext } from '../context.js';
import type { CostBuckets, CostSettings, ThrottleStatus } from './budget.js';
import { cachedQueryCost } from './cache.js';

/** What every costed response carries in `extensions.cost`. */
export type CostExtension = { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus };

const throttled = (message: string, reason: string, retryAfterSeconds: number) =>
  new GraphQLError(message, {
    extensions: {
      code: 'THROTTLED',
      reason,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
    },
  });

/**
 * Costs each operation once it is parsed and validated, before anything runs, and spends it from the
 * caller's bucket: too expensive for one query, or more than the bucket holds, is THROTTLED (HTTP
 * 429, Retry-After) and nothing executes. Operations the router runs itself (warm-up, subscription
 * lookups) carry no `cost` client and are not charged. `actualQueryCost` is the requested cost for
 * an operation that ran (not recounted from the result), null for one that did not.
 */
export function costPlugin(settings: CostSettings, buckets: CostBuckets): ApolloServerPlugin<RouterContext> {
  const queryCost = cachedQueryCost();
  return {
    async requestDidStart() {
      let extension: CostExtension | null = null;
      return {
        async didResolveOperation({ contextValue, document, operation, request, schema }) {
          const client = contextValue.cost;
          if (!client) return;
          let requested: number;
          try {
            requested = queryCost(schema, document, request.variables, operation?.name?.value);
          } catch {
            // Variables that do not coerce: execution refuses the request itself, nothing runs.
            return;
          }
          const { budget, subject } = client;
          const ceiling = Math.min(settings.maxQueryCost, budget.maximumAvailable);
          if (requested > ceiling) {
            extension = { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: await buckets.status(subject, budget) };
            // Waiting never makes this query cheaper: a whole refill, long enough that clients do not retry it at once.
            throw throttled(
              `This query costs ${requested}; the most one query may cost is ${ceiling}. Ask for fewer items or fields.`,
              'MAX_COST_EXCEEDED',
              Math.ceil(budget.maximumAvailable / budget.restoreRate),
            );
          }
          // Free queries (`__typename` only) still take a point, so a flood of them is not free.
          const spent = await buckets.spend(subject, Math.max(1, requested), budget).catch((error: unknown) => {
            loggerFor('router').error({ err: error }, 'query cost bucket failed; the request runs uncounted');
            return null;
          });
          if (!spent) return;
          extension = { requestedQueryCost: requested, actualQueryCost: spent.ok ? requested : null, throttleStatus: spent.status };
          if (!spent.ok) {
            throw throttled(
              `Throttled: this query costs ${requested} and ${spent.status.currentlyAvailable} of ${budget.maximumAvailable} points are available; try again in ${spent.retryAfterSeconds} s.`,
              'BUDGET_EXHAUSTED',
              spent.retryAfterSeconds,
            );
          }
        },
        async willSendResponse({ response }) {
          if (!extension || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: extension };
        },
      };
    },
  };
}
