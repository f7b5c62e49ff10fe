import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { SubgraphTarget } from '@dcrm/kit';
import {
  type EventBus,
  httpListener,
  introspectionEnabled,
  maskErrors,
  openBus,
  redisAnswers,
  SQL_COUNT_HEADER,
  screenRequest,
  sendBodyError,
  sendGraphQLResponse,
  sendJson,
  sqlCounter,
  type TokenVerifier,
  toGraphQLRequest,
  tokenVerifier,
} from '@dcrm/kit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { GraphQLError, GraphQLSchema, ValidationContext } from 'graphql';
import { type Authenticator, createAuthenticator } from './authenticate.js';
import type { RouterContext } from './context.js';
import { type CostSettings, costSettings, openCostBuckets } from './cost/budget.js';
import { costClient } from './cost/client.js';
import { costPlugin } from './cost/plugin.js';
import { TargetDataSource } from './data-source.js';
import { createSubscriptionServer, type LiveStats } from './subscriptions.js';
import { unavailablePlugin } from './unavailable.js';
import { warmQueryPlans } from './warm-up.js';

/** graphql-armor throws from validation by default, which Apollo turns into a 500; report instead. */
const reportNotThrow = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export type RouterOptions = {
  supergraphSdl: string;
  targets: SubgraphTarget[];
  /** Headers the landing page pre-fills (the demo key in all-in-one mode). */
  sandboxHeaders?: Record<string, string>;
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
   * Introspection and the landing page; default off when `NODE_ENV=production` unless
   * `DCRM_INTROSPECTION=1` (see `introspectionEnabled`).
   */
  introspection?: boolean;
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

const MAX_TOKENS = 5_000;
const validationRules = [maxDepthRule({ n: 12, ...reportNotThrow }), maxAliasesRule({ n: 30, ...reportNotThrow })];

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
  const trustProxy = process.env.DCRM_TRUST_PROXY === '1';
  // Behind a trusted proxy the client is the first x-forwarded-for hop; otherwise the socket's peer.
  const clientIp = (req: IncomingMessage) =>
    (trustProxy
      ? String(req.headers['x-forwarded-for'] ?? '')
          .split(',')[0]
          .trim()
      : '') ||
    req.socket.remoteAddress ||
    null;

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const target = byName.get(name);
      if (!target) throw new Error(`no target for subgraph ${name}`);
      return new TargetDataSource(target);
    },
  });
  // Subscriptions validate against the same client-facing schema the gateway serves.
  let apiSchema: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
    apiSchema = loaded;
  });
  const introspection = options.introspection ?? introspectionEnabled();
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    formatError: maskErrors(),
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    introspection,
    // graphql-armor's token limit turns syntax errors into 500s; Apollo's own limit does not.
    parseOptions: { maxTokens: MAX_TOKENS },
    // main.ts drains HTTP and stops the router itself; Apollo's own handlers would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    validationRules,
    plugins: [
      costPlugin(cost, buckets),
      unavailablePlugin(),
      ApolloServerPluginCacheControlDisabled(),
      introspection
        ? ApolloServerPluginLandingPageLocalDefault({
            footer: false,
            embed: { initialState: { sharedHeaders: options.sandboxHeaders ?? {} } },
          })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  const warm = options.warmUp?.length && apiSchema ? await warmQueryPlans(apollo, apiSchema, options.warmUp) : { planned: 0, failed: [] };
  for (const problem of warm.failed) console.warn(`[dcrm] query plan warm-up: ${problem}`);
  const warmedPlans = warm.planned;
  const subscriptions = createSubscriptionServer({
    apollo,
    schema: () => apiSchema,
    auth,
    bus,
    clientIp,
    validationRules,
    maxTokens: MAX_TOKENS,
    maxQueryCost: cost.maxQueryCost,
  });

  const graphql = async (req: IncomingMessage, res: ServerResponse) => {
    const request = await toGraphQLRequest(req);
    // Nesting, null bytes and persisted-query hashes are refused before Apollo parses anything.
    const screened = screenRequest(request);
    if (screened) return sendGraphQLResponse(res, screened);
    const { result, statements } = await sqlCounter.run(() =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: async () => {
          const identity = await auth.identify(request.headers, clientIp(req));
          return { principal: identity.principal, cost: costClient(identity, cost) };
        },
      }),
    );
    if (options.exposeSqlCount) result.headers.set(SQL_COUNT_HEADER, String(statements));
    await sendGraphQLResponse(res, result);
  };

  // Ready is about this process: its supergraph and its own Redis. A subgraph that is down is reported
  // but does not take every router out of rotation (its fields fail; the rest of the API still answers).
  const redisUrl = process.env.REDIS_URL || cost.redisUrl;
  const readiness = async () => {
    const [checks, redis] = await Promise.all([
      Promise.all(options.targets.map(async (t) => [t.name, await t.ready().catch(() => false)] as const)),
      redisUrl ? redisAnswers(redisUrl) : null,
    ]);
    const ready = apiSchema !== null && redis !== false;
    return { ready, subgraphs: Object.fromEntries(checks), ...(redis === null ? {} : { redis }) };
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/debug/subscriptions' && options.exposeLiveStats) return sendJson(res, 200, subscriptions.stats());
    if (path === '/readyz') {
      void readiness().then(({ ready, ...body }) => sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...body }));
      return;
    }
    if (path !== '/graphql') return sendJson(res, 404, { error: 'not found', graphql: '/graphql' });
    graphql(req, res).catch((error) => sendBodyError(res, error));
  };

  const http = httpListener(handler, subscriptions.upgrade);
  return {
    handler,
    listen: http.listen,
    liveStats: subscriptions.stats,
    warmedPlans,
    stop: async () => {
      // No new connections from here; sockets close with 1001 while in-flight requests finish.
      const drained = http.close();
      await subscriptions.close();
      await drained;
      await auth.close();
      await apollo.stop();
      await buckets.close();
      if (ownBus) await bus.close();
    },
  };
}
