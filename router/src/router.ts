import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type EventBus, openBus } from '@dcrm/kit/bus.js';
import { envCorsOrigins } from '@dcrm/kit/cors.js';
import { httpListener } from '@dcrm/kit/http.js';
import { type TokenVerifier, tokenVerifier } from '@dcrm/kit/jwt.js';
import { loggerFor } from '@dcrm/kit/logger.js';
import type { Registry } from '@dcrm/kit/metrics.js';
import type { SubgraphTarget } from '@dcrm/kit/targets.js';
import { introspectionEnabled } from '@dcrm/kit/views.js';
import { type Authenticator, createAuthenticator } from './authenticate.js';
import { createCorsPolicy, preflight } from './cors.js';
import { type CostSettings, costSettings, openCostBuckets } from './cost/budget.js';
import { costCharger } from './cost/plugin.js';
import { clientIpOf, graphqlEndpoint, readiness, routes } from './endpoints.js';
import { createFastPath, fastPathEnabled } from './fast-path.js';
import { createApollo, createGateway, MAX_TOKENS, validationRules } from './gateway.js';
import { type GraphiqlOptions, graphiqlEnabled, graphiqlRoutes } from './graphiql.js';
import { routerMetrics } from './metrics.js';
import { createPassthrough, passthroughEnabled } from './passthrough.js';
import { ssoRoutes } from './sso/endpoints.js';
import { oidcProvider } from './sso/provider.js';
import { type SsoSettings, ssoSettings } from './sso/settings.js';
import { openOneTimeStore } from './sso/store.js';
import { createSubscriptionServer, type LiveStats } from './subscriptions.js';
import { loadViews, schemaFor, serversPerView } from './views.js';
import { warmQueryPlans } from './warm-up.js';

export type RouterOptions = {
  supergraphSdl: string;
  targets: SubgraphTarget[];
  /**
   * GraphiQL on `GET /graphql` (pre-filled with the demo key in all-in-one mode); by default on with
   * introspection, except in production unless `DCRM_GRAPHIQL=on` (see `graphiqlEnabled`).
   */
  graphiql?: GraphiqlOptions | false;
  /** Adds `x-dcrm-sql-statements` to responses: tests and the bench read it. Off in production. */
  exposeSqlCount?: boolean;
  /** Serves `GET /debug/subscriptions` (open sockets and subscriptions): tests and the bench wait on it. Off in production. */
  exposeLiveStats?: boolean;
  /** Where key revocations and logouts arrive (Redis in production, shared in-process otherwise). */
  bus?: EventBus;
  verifyToken?: TokenVerifier;
  /** Operation texts whose query plans are built at start, before clients send them (`sdkDocuments()`). */
  warmUp?: readonly string[];
  /** Query cost budgets over the `DCRM_COST_*` environment (tests give a bucket prefix of their own or a bigger bucket). */
  cost?: Partial<CostSettings>;
  /**
   * Introspection; default off when `NODE_ENV=production` unless
   * `DCRM_INTROSPECTION=1` (see `introspectionEnabled`).
   */
  introspection?: boolean;
  /** More registries for `/metrics` (all-in-one: the in-process subgraphs'). */
  metrics?: Registry[];
  /** The schema each audience is served (default: the committed schema/views, `loadViews()`). */
  views?: ReturnType<typeof loadViews>;
  /** Single-fetch passthrough (passthrough.ts); default on unless `DCRM_PASSTHROUGH=off`. */
  passthrough?: boolean;
  /** Its fast path for repeated queries (fast-path.ts); default on unless `DCRM_FAST_PATH=off`, never without the passthrough. */
  fastPath?: boolean;
  /** Staff single sign-on over the `OIDC_*` environment (off without an issuer; tests give theirs). */
  sso?: Partial<SsoSettings>;
};

export type Router = {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  listen(port: number, host?: string): Promise<Server>;
  /** Live offers over graphql-ws: open sockets and subscriptions listening on the bus. */
  liveStats(): LiveStats;
  /** How many operations' query plans were built at start. */
  warmedPlans: number;
  stop(): Promise<void>;
};

/**
 * The router: authentication and the signed principal, Apollo Server over the gateway (gateway.ts),
 * subscriptions (subscriptions.ts) and the HTTP paths (endpoints.ts) on one port.
 */
export async function createRouter(options: RouterOptions): Promise<Router> {
  // The gateway otherwise reports usage and probes cloud metadata addresses.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const byName = new Map(options.targets.map((t) => [t.name, t]));
  const customer = byName.get('customer');
  if (!customer) throw new Error('the customer subgraph is required (it verifies API keys)');
  const ownBus = !options.bus;
  const bus = options.bus ?? openBus();
  const auth: Authenticator = await createAuthenticator({ customer, verifyToken: options.verifyToken ?? tokenVerifier(), bus });
  const cost = costSettings(process.env, options.cost);
  const buckets = openCostBuckets(cost);
  // Bounded: a Redis outage at start degrades to per-router buckets, as it does later.
  await buckets.ready();
  const clientIp = clientIpOf(process.env.DCRM_TRUST_PROXY === '1');
  const cors = await createCorsPolicy({ catalog: byName.get('catalog'), bus, origins: envCorsOrigins() });
  const sso = ssoSettings(process.env, options.sso);
  const ssoStore = sso ? openOneTimeStore(sso.redisUrl, sso.keyPrefix) : null;

  const metrics = routerMetrics(options.warmUp);
  const passthrough = (options.passthrough ?? passthroughEnabled()) ? createPassthrough(byName, metrics) : undefined;
  const { gateway, apiSchema } = createGateway(options.supergraphSdl, byName, metrics, passthrough?.onPlan);
  const introspection = options.introspection ?? introspectionEnabled();
  const charge = costCharger(cost, buckets);
  const settings = { introspection, charge, metrics, passthrough };
  const graphiql = options.graphiql ?? (introspection && graphiqlEnabled() ? {} : false);
  const views = options.views ?? loadViews();
  const fastPath =
    passthrough && (options.fastPath ?? fastPathEnabled())
      ? createFastPath({ schemaOf: schemaFor(views, apiSchema), supergraph: apiSchema, charge, metrics })
      : undefined;
  const apollo = serversPerView(gateway, views, (viewed) => createApollo(viewed, settings));
  for (const server of Object.values(apollo)) await server.start();
  // The SDK's operations are the storefront's: query plans are shared, parsed documents are per view.
  const warm =
    options.warmUp?.length && apiSchema()
      ? await warmQueryPlans(apollo.storefront, views.storefront, options.warmUp)
      : { planned: 0, failed: [] };
  for (const problem of warm.failed) loggerFor('router').warn(`query plan warm-up: ${problem}`);
  const subscriptions = createSubscriptionServer({
    apollo: apollo.api,
    schema: schemaFor(views, apiSchema),
    auth,
    bus,
    clientIp,
    validationRules,
    maxTokens: MAX_TOKENS,
    maxQueryCost: cost.maxQueryCost,
    delivered: metrics.delivered,
  });
  metrics.watchLive(subscriptions.stats);

  const handler = routes({
    graphql: graphqlEndpoint({ apollo, auth, clientIp, cost, cors, exposeSqlCount: options.exposeSqlCount, fastPath, metrics }),
    preflight: preflight(cors),
    readiness: readiness(options.targets, apiSchema, process.env.REDIS_URL || cost.redisUrl || undefined),
    liveStats: options.exposeLiveStats ? subscriptions.stats : undefined,
    graphiql: graphiqlRoutes(graphiql),
    metrics: metrics.endpoint(options.metrics),
    sso: sso && ssoStore ? ssoRoutes({ settings: sso, provider: oidcProvider(sso), store: ssoStore, customer, cors }) : undefined,
  });
  const http = httpListener(handler, subscriptions.upgrade);
  return {
    handler,
    listen: http.listen,
    liveStats: subscriptions.stats,
    warmedPlans: warm.planned,
    stop: async () => {
      // No new connections from here; sockets close with 1001 while in-flight requests finish.
      const drained = http.close();
      await subscriptions.close();
      await drained;
      await auth.close();
      await cors.close();
      await ssoStore?.close();
      for (const server of Object.values(apollo).reverse()) await server.stop();
      await buckets.close();
      if (ownBus) await bus.close();
    },
  };
}
