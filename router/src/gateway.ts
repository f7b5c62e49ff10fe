import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { logUnexpected, maskErrors } from '@dcrm/kit/errors.js';
import { requestLogPlugin } from '@dcrm/kit/logger.js';
import type { SubgraphTarget } from '@dcrm/kit/targets.js';
import { tracingPlugin } from '@dcrm/kit/tracing.js';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { GraphQLError, GraphQLSchema, ValidationContext } from 'graphql';
import type { RouterContext } from './context.js';
import { type Charger, costPlugin } from './cost/plugin.js';
import { TargetDataSource } from './data-source.js';
import type { RouterMetrics } from './metrics.js';
import type { Passthrough } from './passthrough.js';
import { countedPlanCache } from './plan-cache.js';
import { requestContextPlugin } from './request-context.js';
import { unavailablePlugin } from './unavailable.js';

/** graphql-armor throws from validation by default, which Apollo turns into a 500; report instead. */
const reportNotThrow = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export const MAX_TOKENS = 5_000;
/** Depth and alias limits, the same for HTTP and subscriptions. */
export const validationRules = [maxDepthRule({ n: 12, ...reportNotThrow }), maxAliasesRule({ n: 30, ...reportNotThrow })];

/** The gateway over the subgraph targets, and the client-facing schema it serves (null until the supergraph is loaded). */
export function createGateway(
  supergraphSdl: string,
  byName: Map<string, SubgraphTarget>,
  metrics?: RouterMetrics,
  onPlan?: Passthrough['onPlan'],
): { gateway: ApolloGateway; apiSchema: () => GraphQLSchema | null } {
  const gateway = new ApolloGateway({
    supergraphSdl,
    experimental_didResolveQueryPlan: onPlan,
    queryPlannerConfig: { cache: countedPlanCache((hit) => metrics?.planLookup(hit)) },
    buildService: ({ name }) => {
      const target = byName.get(name);
      if (!target) throw new Error(`no target for subgraph ${name}`);
      return new TargetDataSource(target, metrics?.fetch);
    },
  });
  // Subscriptions validate against the same client-facing schema the gateway serves.
  let apiSchema: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
    apiSchema = loaded;
  });
  return { gateway, apiSchema: () => apiSchema };
}

export type ApolloSettings = {
  introspection: boolean;
  /** Query cost, charged as the fast path charges it (cost/plugin.ts `costCharger`). */
  charge: Charger;
  metrics?: RouterMetrics;
  /** Single-fetch queries answered by their subgraph (passthrough.ts); off: every query runs on the gateway. */
  passthrough?: Passthrough;
};

/**
 * Apollo Server over the gateway (or a view of it, views.ts): masked errors, the request limits and query
 * cost (GraphiQL is the router's own, graphiql.ts).
 */
export function createApollo(gateway: GatewayInterface, settings: ApolloSettings): ApolloServer<RouterContext> {
  return new ApolloServer<RouterContext>({
    gateway,
    formatError: maskErrors(logUnexpected('router')),
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    introspection: settings.introspection,
    // graphql-armor's token limit turns syntax errors into 500s; Apollo's own limit does not.
    parseOptions: { maxTokens: MAX_TOKENS },
    // main.ts drains HTTP and stops the router itself; Apollo's own handlers would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    validationRules,
    // Repeats of a single-fetch query skip these (fast-path.ts): what a plugin does to such a query's
    // answer (cost, request context, metrics, request line, span) is done there with the same functions.
    plugins: [
      costPlugin(settings.charge),
      unavailablePlugin(),
      requestContextPlugin(),
      ...(settings.metrics ? [settings.metrics.plugin] : []),
      // Its `responseForOperation` runs after every plugin's `didResolveOperation`: costed and in context.
      ...(settings.passthrough ? [settings.passthrough.plugin] : []),
      requestLogPlugin(),
      tracingPlugin('router'),
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads Apollo Sandbox from a CDN.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
}
