import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, HTTPGraphQLRequest } from '@apollo/server';
import { redisAnswers } from '@dcrm/kit/bus.js';
import { BodyError, sendBodyError, sendGraphQLResponse, sendJson, toGraphQLRequest } from '@dcrm/kit/http.js';
import { loggerFor, logRequest, noteClient, noteResponseCodes, REQUEST_ID_HEADER, requestIdOf, withRequest } from '@dcrm/kit/logger.js';
import { screenRequest } from '@dcrm/kit/request-screen.js';
import { SQL_COUNT_HEADER, sqlCounter } from '@dcrm/kit/sql-counter.js';
import type { SubgraphTarget } from '@dcrm/kit/targets.js';
import { inServerSpan } from '@dcrm/kit/tracing.js';
import type { GraphQLSchema } from 'graphql';
import type { Authenticator } from './authenticate.js';
import type { Passed, RouterContext } from './context.js';
import { answerCors, type CorsPolicy } from './cors.js';
import type { CostBudget } from './cost/budget.js';
import { costClient } from './cost/client.js';
import type { FastPath } from './fast-path.js';
import type { RouterMetrics } from './metrics.js';
import { spliceData } from './passthrough.js';
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
  cors: CorsPolicy;
  exposeSqlCount?: boolean;
  /** Repeated single-fetch queries answered without Apollo's pipeline (fast-path.ts); absent: Apollo answers every request. */
  fastPath?: FastPath;
  metrics: RouterMetrics;
};

/** `POST /graphql`: screened, then run by the Apollo server of the caller's view as the caller (signed principal, cost bucket). */
export function graphqlEndpoint(deps: GraphQLEndpointDeps) {
  // The result, and the request's brand (known once the caller is identified) for the CORS answer.
  const run = async (request: HTTPGraphQLRequest, req: IncomingMessage) => {
    // Nesting, null bytes and persisted-query hashes are refused before Apollo parses anything.
    const screened = screenRequest(request);
    if (screened) {
      if (screened.body.kind === 'complete') noteResponseCodes(screened.body.string);
      return { result: screened, storefrontId: null };
    }
    let storefrontId: string | null = null;
    const passed: Passed = {};
    const { result, statements } = await sqlCounter.run(async () => {
      const identity = deps.auth.identify(request.headers, deps.clientIp(req));
      const known = await identity.catch(() => null);
      // A query the passthrough answered before, answered again without Apollo (fast-path.ts).
      const fast = known && deps.fastPath ? await deps.fastPath.answer(request, known, costClient(known, deps.cost), passed) : null;
      if (known && fast) {
        storefrontId = known.principal.storefrontId;
        noteClient(known.principal, known.keyId);
        return fast;
      }
      // Refused credentials are answered by Apollo (from the context below), by the view that needs none.
      const view = known ? viewOf(known.principal.kind) : 'storefront';
      return deps.apollo[view].executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: async () => {
          const known = await identity;
          storefrontId = known.principal.storefrontId;
          noteClient(known.principal, known.keyId);
          return { principal: known.principal, cost: costClient(known, deps.cost), passed };
        },
      });
    });
    // A single-fetch query answered by its subgraph: its data, as the subgraph wrote it; the fast path may answer it next time.
    spliceData(result, passed);
    deps.fastPath?.remember(request, passed, result);
    if (deps.exposeSqlCount) result.headers.set(SQL_COUNT_HEADER, String(statements));
    return { result, storefrontId };
  };
  return async (req: IncomingMessage, res: ServerResponse) => {
    const done = deps.metrics.requests.start();
    let request: HTTPGraphQLRequest;
    try {
      request = await toGraphQLRequest(req);
    } catch (error) {
      done({ operation: null, ran: false, status: error instanceof BodyError ? error.status : 500 });
      throw error;
    }
    // The brand is learnt inside the span; the span covers the whole run (screening, Apollo, the gateway's fetches).
    let storefrontId: string | null = null;
    const result = await inServerSpan('router', request, async () => {
      const ran = await run(request, req);
      storefrontId = ran.storefrontId;
      return ran.result;
    }).catch((error: unknown) => {
      done({ operation: null, ran: false, status: 500 });
      throw error;
    });
    await answerCors(deps.cors, req, res, storefrontId);
    await sendGraphQLResponse(res, result).finally(() => done(deps.metrics.answer(request, result)));
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
  /** `OPTIONS /graphql` (CORS preflight). */
  preflight: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  readiness: () => Promise<{ ready: boolean } & Record<string, unknown>>;
  /** Serves `GET /debug/subscriptions` when given. */
  liveStats?: () => LiveStats;
  /** `GET /graphql` from a browser and its assets (graphiql.ts); true when it answered. */
  graphiql?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
  /** `GET /metrics` (see kit `metrics.ts` for who may read it). */
  metrics: Handler;
  /** Staff single sign-on under `/auth/oidc/` (sso/endpoints.ts) when configured; true when it answered. */
  sso?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
};

/** The router's HTTP paths: `/healthz`, `/readyz`, `/metrics`, `/graphql` (GraphiQL for a browser), `/auth/oidc/*` when SSO is on and, off in production, `/debug/subscriptions`. */
export function routes(deps: RoutesDeps): Handler {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/metrics') return deps.metrics(req, res);
    if (path === '/debug/subscriptions' && deps.liveStats) return sendJson(res, 200, deps.liveStats());
    if (path === '/readyz') {
      void deps
        .readiness()
        .then(({ ready, ...body }) => sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...body }));
      return;
    }
    if (deps.sso?.(req, res, path)) return;
    if (deps.graphiql?.(req, res, path)) return;
    if (path !== '/graphql') return sendJson(res, 404, { error: 'not found', graphql: '/graphql' });
    if (req.method === 'OPTIONS') return void deps.preflight(req, res).catch((error) => sendBodyError(res, error));
    // Every request gets an id (the client's, when sane), sent back and on to each subgraph, and one
    // log line once answered, refusals before GraphQL (401, 400, 413, 429) included.
    const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    void withRequest(requestId, () =>
      deps
        .graphql(req, res)
        .catch((error) => sendBodyError(res, error))
        .then(() => logRequest(loggerFor('router'), res.statusCode, res.statusCode >= 500 ? 'warn' : 'info')),
    );
  };
}
