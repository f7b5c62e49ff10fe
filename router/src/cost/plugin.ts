import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { loggerFor } from '@dcrm/kit/logger.js';
import { type DocumentNode, GraphQLError, type GraphQLSchema } from 'graphql';
import type { RouterContext } from '../context.js';
import type { CostBuckets, CostSettings, ThrottleStatus } from './budget.js';
import { cachedQueryCost } from './cache.js';
import type { CostClient } from './client.js';

/** What every costed response carries in `extensions.cost`. */
export type CostExtension = { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus };

/** What charging an operation came to: its `extensions.cost` (null: the bucket failed, it runs uncounted), and THROTTLED when refused. */
export type Charge = { extension: CostExtension | null; refusal: GraphQLError | null };

/** Costs one operation and spends it from the client's bucket; null when its variables do not coerce (nothing costed, nothing taken). */
export type Charger = (
  client: CostClient,
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
) => Promise<Charge | null>;

const throttled = (message: string, reason: string, retryAfterSeconds: number) =>
  new GraphQLError(message, {
    extensions: {
      code: 'THROTTLED',
      reason,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
    },
  });

/**
 * The query cost rule, in one place for Apollo (`costPlugin`) and the router's fast path (fast-path.ts):
 * too expensive for one query, or more than the bucket holds, is refused (THROTTLED, HTTP 429,
 * Retry-After) and takes nothing from the bucket; otherwise the cost is spent. `actualQueryCost` is the
 * requested cost for an operation that runs (not recounted from the result), null for one that does not.
 */
export function costCharger(settings: CostSettings, buckets: CostBuckets): Charger {
  const queryCost = cachedQueryCost();
  return async ({ budget, subject }, schema, document, variables, operationName) => {
    let requested: number;
    try {
      requested = queryCost(schema, document, variables, operationName);
    } catch {
      // Variables that do not coerce: execution refuses the request itself, nothing runs.
      return null;
    }
    const ceiling = Math.min(settings.maxQueryCost, budget.maximumAvailable);
    if (requested > ceiling) {
      const extension = { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: await buckets.status(subject, budget) };
      // Waiting never makes this query cheaper: a whole refill, long enough that clients do not retry it at once.
      const refusal = throttled(
        `This query costs ${requested}; the most one query may cost is ${ceiling}. Ask for fewer items or fields.`,
        'MAX_COST_EXCEEDED',
        Math.ceil(budget.maximumAvailable / budget.restoreRate),
      );
      return { extension, refusal };
    }
    // Free queries (`__typename` only) still take a point, so a flood of them is not free.
    const spent = await buckets.spend(subject, Math.max(1, requested), budget).catch((error: unknown) => {
      loggerFor('router').error({ err: error }, 'query cost bucket failed; the request runs uncounted');
      return null;
    });
    if (!spent) return { extension: null, refusal: null };
    const extension = { requestedQueryCost: requested, actualQueryCost: spent.ok ? requested : null, throttleStatus: spent.status };
    if (spent.ok) return { extension, refusal: null };
    const refusal = throttled(
      `Throttled: this query costs ${requested} and ${spent.status.currentlyAvailable} of ${budget.maximumAvailable} points are available; try again in ${spent.retryAfterSeconds} s.`,
      'BUDGET_EXHAUSTED',
      spent.retryAfterSeconds,
    );
    return { extension, refusal };
  };
}

/**
 * Costs each operation once it is parsed and validated, before anything runs, and spends it from the
 * caller's bucket (`costCharger`); a refused one throws THROTTLED and nothing executes. Operations the
 * router runs itself (warm-up, subscription lookups) carry no `cost` client and are not charged; one
 * the fast path already charged (`passed.charged`) is not charged again: that charge (or refusal) stands.
 */
export function costPlugin(charge: Charger): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      let extension: CostExtension | null = null;
      return {
        async didResolveOperation({ contextValue, document, operation, request, schema }) {
          const client = contextValue.cost;
          if (!client) return;
          const result =
            contextValue.passed?.charged ?? (await charge(client, schema, document, request.variables, operation?.name?.value));
          if (!result) return;
          extension = result.extension;
          if (result.refusal) throw result.refusal;
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
