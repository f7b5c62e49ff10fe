import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  redisAnswers,
  SQL_COUNT_HEADER,
  type SubgraphTarget,
  screenRequest,
  sendBodyError,
  sendGraphQLResponse,
  sendJson,
  sqlCounter,
  toGraphQLRequest,
} from '@dcrm/kit';
import type { GraphQLSchema } from 'graphql';
import type { Authenticator } from './authenticate.js';
import type { RouterContext } from './context.js';
import type { CostBudget } from './cost/budget.js';
import { costClient } from './cost/client.js';
import type { LiveStats } from './subscriptions.js';
import { type PerView, viewOf } from './views.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

// Behind a trusted proxy the client is the first x-forwarded-for hop; otherwise the socket's peer.
export const clientIpOf =
  (trustProxy: boolean) =>
  (req: IncomingMessage): string | null =>
    (trustProxy
      ? String(req.headers['x-forwarded-for'] ?? '')
          .split(',')[0]
          .trim()
      : '') ||
    req.socket.remoteAddress ||
    null;

export type GraphQLEndpointDeps = {
  /** The Apollo server of each schema view (views.ts). */
  apollo: PerView<ApolloServer<RouterContext>>;
  auth: Authenticator;
  clientIp: (req: IncomingMessage) => string | null;
  cost: CostBudget;
  exposeSqlCount?: boolean;
};

/** `POST /graphql`: screened, then run by the Apollo server of the caller's view as the caller (signed principal, cost bucket). */
export function graphqlEndpoint(deps: GraphQLEndpointDeps) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const request = await toGraphQLRequest(req);
    // Nesting, null bytes and persisted-query hashes are refused before Apollo parses anything.
    const screened = screenRequest(request);
    if (screened) return sendGraphQLResponse(res, screened);
    const { result, statements } = await sqlCounter.run(async () => {
      const identity = deps.auth.identify(request.headers, deps.clientIp(req));
      // Refused credentials are answered by Apollo (from the context below), by the view that needs none.
      const view = await identity.then(
        (known) => viewOf(known.principal.kind),
        () => 'storefront' as const,
      );
      return deps.apollo[view].executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: async () => {
          const known = await identity;
          return { principal: known.principal, cost: costClient(known, deps.cost) };
        },
      });
    });
    if (deps.exposeSqlCount) result.headers.set(SQL_COUNT_HEADER, String(statements));
    await sendGraphQLResponse(res, result);
  };
}

// Ready is about this process: its supergraph and its own Redis. A subgraph that is down is reported
// but does not take every router out of rotation (its fields fail; the rest of the API still answers).
export function readiness(targets: SubgraphTarget[], apiSchema: () => GraphQLSchema | null, redisUrl: string | undefined) {
  return async () => {
    const [checks, redis] = await Promise.all([
      Promise.all(targets.map(async (t) => [t.name, await t.ready().catch(() => false)] as const)),
      redisUrl ? redisAnswers(redisUrl) : null,
    ]);
    const ready = apiSchema() !== null && redis !== false;
    return { ready, subgraphs: Object.fromEntries(checks), ...(redis === null ? {} : { redis }) };
  };
}

export type RoutesDeps = {
  graphql: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  readiness: () => Promise<{ ready: boolean } & Record<string, unknown>>;
  /** Serves `GET /debug/subscriptions` when given. */
  liveStats?: () => LiveStats;
};

/** The router's HTTP paths: `/healthz`, `/readyz`, `/graphql` and, off in production, `/debug/subscriptions`. */
export function routes(deps: RoutesDeps): Handler {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/debug/subscriptions' && deps.liveStats) return sendJson(res, 200, deps.liveStats());
    if (path === '/readyz') {
      void deps
        .readiness()
        .then(({ ready, ...body }) => sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...body }));
      return;
    }
    if (path !== '/graphql') return sendJson(res, 404, { error: 'not found', graphql: '/graphql' });
    deps.graphql(req, res).catch((error) => sendBodyError(res, error));
  };
}
