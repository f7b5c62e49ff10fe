import type { ApolloServerPlugin, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import {
  type Answered,
  Counter,
  claimedOperationName,
  Gauge,
  Histogram,
  metricsEndpoint,
  operationLabels,
  processMetrics,
  Registry,
  type RequestMetrics,
  requestMetrics,
} from '@dcrm/kit/metrics.js';
import type { RouterContext } from './context.js';
import type { LiveStats } from './subscriptions.js';

/**
 * What the fast path did with a request: `answered` it; `miss` (not remembered: Apollo answers, and may
 * teach it); `declined` (variables that do not coerce, THROTTLED: Apollo answers with its own error);
 * `fallback` (sent, but the subgraph answered with errors or was down: Apollo shapes that answer).
 */
export type FastPathResult = 'answered' | 'miss' | 'declined' | 'fallback';

/** What a subgraph fetch reports when it ends: `null`, or the code of the failure (first error code, SERVICE_UNAVAILABLE). */
export type FetchDone = (code: string | null) => void;

export type RouterMetrics = {
  registry: Registry;
  requests: RequestMetrics;
  /** Records the operation name Apollo resolved for each HTTP request (the label of its answer). */
  plugin: ApolloServerPlugin<RouterContext>;
  /** The operation name an HTTP request resolved to (Apollo's, or the fast path's, which runs no plugin). */
  resolved(request: HTTPGraphQLRequest, operationName: string | null): void;
  /** What an answer reports: the resolved operation, else the one the request claims (labelled only if already known). */
  answer(request: HTTPGraphQLRequest, response: HTTPGraphQLResponse): Answered;
  /** One fetch from the gateway to a subgraph: call what it returns when it ends. */
  fetch(subgraph: string): FetchDone;
  /** Subscription events sent to clients (one, or an event's batch of sockets at once). */
  delivered(count?: number): void;
  /** One query sent whole to a subgraph (passthrough.ts): answered so, or run again by the gateway. */
  passthrough(subgraph: string, answered: boolean): void;
  /** One request the fast path (fast-path.ts) looked at, by what became of it. */
  fastPath(result: FastPathResult): void;
  /** One lookup in the gateway's query-plan cache (plan-cache.ts): a hit, or a miss planned then. */
  planLookup(hit: boolean): void;
  /** Open sockets and subscriptions are read from here on each scrape. */
  watchLive(stats: () => LiveStats): void;
  /** `GET /metrics`: Node's, the router's, and those of `more` (the in-process subgraphs' in all-in-one mode). */
  endpoint(more?: readonly Registry[]): ReturnType<typeof metricsEndpoint>;
};

/**
 * The router's metrics (names in the README, "Metrics"). `known`: operation texts whose names are
 * labels from the start (the storefront SDK's documents); other names are admitted as they run, up to a cap.
 */
export function routerMetrics(known: readonly string[] = []): RouterMetrics {
  const registry = new Registry();
  const label = operationLabels(
    200,
    known.map((query) => claimedOperationName({ query })).filter((n): n is string => !!n),
  );
  const requests = requestMetrics(registry, { prefix: 'dcrm', operations: label });
  const resolved = new WeakMap<HTTPGraphQLRequest, string | null>();

  const fetchDuration = new Histogram({
    name: 'dcrm_subgraph_fetch_duration_seconds',
    help: 'Time of each fetch the query plan makes to a subgraph.',
    labelNames: ['subgraph'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const fetchErrors = new Counter({
    name: 'dcrm_subgraph_fetch_errors_total',
    help: 'Fetches to a subgraph that failed (SERVICE_UNAVAILABLE) or answered with errors, by first error code.',
    labelNames: ['subgraph', 'code'],
    registers: [registry],
  });
  const delivered = new Counter({
    name: 'dcrm_live_events_delivered_total',
    help: 'Subscription events sent to clients over graphql-ws.',
    registers: [registry],
  });
  const plans = new Counter({
    name: 'dcrm_query_plan_cache_lookups_total',
    help: "Lookups in the gateway's query-plan cache, by result: hit, or miss (the operation is planned, then cached).",
    labelNames: ['result'],
    registers: [registry],
  });
  const passthroughs = new Counter({
    name: 'dcrm_passthrough_total',
    help: "Queries planned as one fetch and sent whole to that subgraph, by result: answered (the subgraph's data sent on as is) or fallback (errors or unavailable: the gateway ran it).",
    labelNames: ['subgraph', 'result'],
    registers: [registry],
  });
  const fast = new Counter({
    name: 'dcrm_fast_path_total',
    help: "POST queries the router's fast path looked at, by result: answered (without Apollo's pipeline), miss (not a single-fetch query answered before), declined (variables that do not coerce, throttled) or fallback (the subgraph answered with errors or was down); Apollo answers all but the answered.",
    labelNames: ['result'],
    registers: [registry],
  });
  let live: () => LiveStats = () => ({ sockets: 0, subscriptions: 0, lookups: 0 });
  new Gauge({
    name: 'dcrm_subscriptions_open',
    help: 'Subscriptions listening for events.',
    registers: [registry],
    collect() {
      this.set(live().subscriptions);
    },
  });
  new Gauge({
    name: 'dcrm_live_sockets_open',
    help: 'Open graphql-ws sockets.',
    registers: [registry],
    collect() {
      this.set(live().sockets);
    },
  });
  delivered.inc(0);

  return {
    registry,
    requests,
    plugin: {
      async requestDidStart() {
        return {
          async didResolveOperation({ request, operationName }) {
            if (request.http) resolved.set(request.http, operationName);
          },
        };
      },
    },
    resolved(request, operationName) {
      resolved.set(request, operationName);
    },
    answer(request, response) {
      const ran = resolved.has(request);
      return {
        operation: ran ? resolved.get(request) : claimedOperationName(request.body),
        ran,
        status: response.status ?? 200,
        body: response.body.kind === 'complete' ? response.body.string : undefined,
      };
    },
    fetch(subgraph) {
      const end = fetchDuration.startTimer({ subgraph });
      return (code) => {
        end();
        if (code) fetchErrors.inc({ subgraph, code });
      };
    },
    delivered: (count = 1) => delivered.inc(count),
    passthrough: (subgraph, answered) => passthroughs.inc({ subgraph, result: answered ? 'answered' : 'fallback' }),
    fastPath: (result) => fast.inc({ result }),
    planLookup: (hit) => plans.inc({ result: hit ? 'hit' : 'miss' }),
    watchLive(stats) {
      live = stats;
    },
    endpoint: (more = []) => metricsEndpoint(() => [processMetrics(), registry, ...more]),
  };
}
