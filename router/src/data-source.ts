import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { isServiceUnavailable } from '@dcrm/kit/errors.js';
import { codeLabel } from '@dcrm/kit/metrics.js';
import type { Principal } from '@dcrm/kit/principal.js';
import type { SubgraphRequest, SubgraphTarget } from '@dcrm/kit/targets.js';
import { type GraphQLFormattedError, parse } from 'graphql';
import type { RouterContext } from './context.js';
import type { FetchDone } from './metrics.js';
import { answerFromEvent } from './subscriptions/event-offer.js';
import { unavailableFieldPaths } from './unavailable-paths.js';
import { WARM_UP_RESPONSE } from './warm-up.js';

/** The gateway's data source: the operation the query planner built, sent with the caller's signed principal. */
export class TargetDataSource implements GraphQLDataSource<RouterContext> {
  constructor(
    private readonly target: SubgraphTarget,
    /** Times each fetch and counts its failures (metrics.ts). */
    private readonly measure: (subgraph: string) => FetchDone = () => () => {},
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<GatewayGraphQLResponse> {
    const context = options.context as Partial<RouterContext>;
    if (context.warmUp) return WARM_UP_RESPONSE;
    const principal = context.principal;
    // Health checks and schema loads carry no caller: they run with no rights at all.
    const as: Principal = principal ?? { kind: 'anonymous', id: null, storefrontId: null, partnerId: null, roles: [], scopes: [] };
    // A passed-through operation's answer with errors, or a mutation's failure (passthrough.ts): this plan's one fetch, already made and counted.
    const answer = context.passed?.answer;
    if (context.passed && answer?.service === this.target.name) {
      context.passed.answer = undefined;
      if ('response' in answer) return answer.response;
      if (!isServiceUnavailable(answer.failed)) throw answer.failed;
      return unavailableResponse(answer.failed as Error & { extensions: Record<string, unknown> }, options);
    }
    // A live event's own copy of a public offer stands in for fetching it (subscriptions/event-offer.ts).
    const fromEvent = context.eventOffer && answerFromEvent(this.target.name, options.request, context.eventOffer);
    if (fromEvent) return fromEvent;
    const { query, variables, operationName } = options.request;
    const request: SubgraphRequest = { query: query as string };
    if (variables) request.variables = variables as Record<string, unknown>;
    if (operationName) request.operationName = operationName;
    const done = this.measure(this.target.name);
    try {
      const execute = () => this.target.execute(request, as);
      // A public live offer's lookup: the catalog content it reads may be kept (subscriptions/lookup-cache.ts).
      const kept = context.kept;
      const response = await (kept ? kept.cache.fetch(kept.viewKey, this.target.name, request, execute) : execute());
      done(response.errors?.length ? codeLabel(response.errors[0].extensions?.code) : null);
      return response;
    } catch (error) {
      done(isServiceUnavailable(error) ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR');
      if (!isServiceUnavailable(error)) throw error;
      return unavailableResponse(error as Error & { extensions: Record<string, unknown> }, options);
    }
  }
}

/**
 * The subgraph is down: no data, and one SERVICE_UNAVAILABLE error per field this fetch was to fill.
 * The gateway leaves those fields out (null, up to the nearest nullable parent — our SDLs make every
 * field that crosses a subgraph nullable) and rewrites `_entities` paths onto the client's paths, so
 * each error points at the field that failed rather than at the whole response.
 */
function unavailableResponse(
  error: Error & { extensions: Record<string, unknown> },
  options: GraphQLDataSourceProcessOptions<RouterContext>,
): GatewayGraphQLResponse {
  const representations = (options.request.variables?.representations ?? null) as { __typename?: unknown }[] | null;
  // The planner keeps no parsed fetch document unless asked to for every plan; parsing here costs only on failure.
  const query = options.request.query;
  const paths = query ? unavailableFieldPaths(parse(query), representations) : [];
  const one = (path?: (string | number)[]): GraphQLFormattedError => ({
    message: error.message,
    ...(path ? { path } : {}),
    extensions: error.extensions,
  });
  return { errors: paths.length > 0 ? paths.map(one) : [one()] };
}
