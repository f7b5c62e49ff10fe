import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type DocumentNode, GraphQLError, parse } from 'graphql';
import { applyAccessDirectives } from './access.js';
import { auditAs } from './audit-record.js';
import { auditRecordResolvers } from './audit-trail.js';
import { requestPrincipal } from './brand-guard.js';
import { mayActOn } from './brands.js';
import { logUnexpected, maskErrors } from './errors.js';
import { httpListener, sendBodyError, sendGraphQLResponse, sendJson, toGraphQLRequest } from './http.js';
import {
  loggerFor,
  logRequest,
  noteClient,
  noteResponseCodes,
  REQUEST_ID_HEADER,
  requestIdOf,
  requestLogPlugin,
  withRequest,
} from './logger.js';
import { measured, metricsEndpoint, processMetrics, type Registry } from './metrics.js';
import { subgraphMetrics } from './metrics-subgraph.js';
import { databaseReady, type MikroORM } from './orm.js';
import { PRINCIPAL_HEADER, type Principal, takeHandedOverPrincipal, verifyPrincipal } from './principal.js';
import { screenRequest } from './request-screen.js';
import { scalarResolvers } from './scalars.js';
import { SQL_COUNT_HEADER, sqlCounter } from './sql-counter.js';
import { inServerSpan, tracingPlugin } from './tracing.js';
import { introspectionEnabled } from './views.js';

/** What every resolver gets: who is asking, a request-scoped EntityManager and fresh DataLoaders. */
export type SubgraphContext<L = unknown, S = unknown> = { principal: Principal; em: EntityManager; loaders: L; services: S };

/** A subgraph's own Apollo request hooks (`SubgraphServerOptions.plugins`). */
export type SubgraphPlugin<L = unknown, S = unknown> = ApolloServerPlugin<SubgraphContext<L, S>>;

// biome-ignore lint/suspicious/noExplicitAny: resolver maps are checked per subgraph
export type Resolvers = GraphQLResolverMap<any>;

export type SubgraphServerOptions<L, S = undefined> = {
  name: string;
  typeDefs: DocumentNode;
  resolvers: Resolvers;
  orm: MikroORM;
  secret: string;
  createLoaders: (em: EntityManager, principal: Principal) => L;
  /** Process-wide dependencies resolvers need (event bus, throttle, secrets), the same for every request. */
  services?: S;
  /** Background work to end with the server (job runners). */
  onStop?: () => Promise<void>;
  /** Named periodic tasks (what the subgraph's job runner runs; tests call them directly). */
  tasks?: Record<string, () => Promise<unknown>>;
  /** The subgraph's own request hooks, after kit's (e.g. the catalog announcing its changes). */
  plugins?: SubgraphPlugin<L, S>[];
};

export type SubgraphServer = {
  name: string;
  /** One HTTP-shaped GraphQL request through the server's own context and plugins (HTTP and in-process alike). */
  execute(request: HTTPGraphQLRequest): Promise<HTTPGraphQLResponse>;
  /** Node request listener: POST /graphql, GET /healthz, GET /readyz, GET /metrics. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Its requests, pool and job queue (metrics.ts); the all-in-one router serves them on its own `/metrics`. */
  metrics: Registry;
  ready(): Promise<boolean>;
  tasks: Record<string, () => Promise<unknown>>;
  listen(port: number, host?: string): Promise<Server>;
  stop(): Promise<void>;
};

const COMMON_SDL = readFileSync(new URL('./common.graphql', import.meta.url), 'utf8');
const AUDIT_SDL = readFileSync(new URL('./audit.graphql', import.meta.url), 'utf8');
const BULK_SDL = readFileSync(new URL('./bulk.graphql', import.meta.url), 'utf8');
const ERRORS_SDL = readFileSync(new URL('./errors.graphql', import.meta.url), 'utf8');

export type TypeDefsOptions = {
  /** The subgraph serves bulk actions: kit's `_bulkValidate` / `_bulkApply` (bulk.graphql, resolvers from `bulkServiceResolvers`). */
  bulk?: boolean;
};

/**
 * The subgraph's SDL: its own `schema.graphql` and, beside it, `errors.graphql` (its payload families'
 * user error types and code enums), plus kit's shared types, shared error families and audit trail, and kit's bulk protocol when
 * it serves bulk actions. Composition and resolver codegen read the same.
 */
export function loadTypeDefs(schemaFile: URL, options: TypeDefsOptions = {}): DocumentNode {
  const kit = [COMMON_SDL, ERRORS_SDL, AUDIT_SDL, ...(options.bulk ? [BULK_SDL] : [])];
  const own = [readFileSync(schemaFile, 'utf8'), readFileSync(new URL('./errors.graphql', schemaFile), 'utf8')];
  return parse([...own, ...kit].join('\n'));
}

/**
 * Joins per-file resolver maps; two files defining the same field is a bug, not an override. Generic, so a
 * subgraph's generated map type (e.g. `CatalogResolvers`) goes in and comes out.
 */
export function mergeResolvers<R extends object>(...maps: R[]): R {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      const target = (merged[typeName] ??= {});
      for (const [field, resolver] of Object.entries(fields as Record<string, unknown>)) {
        if (field in target) throw new Error(`Resolver ${typeName}.${field} is defined twice`);
        target[field] = resolver;
      }
    }
  }
  // Every key came from one of the maps, each field under the same type name: the union has R's shape.
  return merged as R;
}

const unauthenticated = () =>
  new GraphQLError('Requests must come through the router', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

export async function createSubgraphServer<L, S = undefined>(options: SubgraphServerOptions<L, S>): Promise<SubgraphServer> {
  const schema = applyAccessDirectives(
    buildSubgraphSchema([
      {
        typeDefs: options.typeDefs,
        // Every subgraph serves its own audit records (audit-trail.ts).
        resolvers: mergeResolvers(
          scalarResolvers as unknown as Resolvers,
          auditRecordResolvers(options.name) as Resolvers,
          options.resolvers,
        ),
      },
    ]),
  );
  const apollo = new ApolloServer<SubgraphContext<L, S>>({
    schema,
    // No cache hints are used: the cache-control plugin would only wrap every field resolver.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      requestLogPlugin(),
      tracingPlugin(options.name),
      ...(options.plugins ?? []),
    ],
    formatError: maskErrors(logUnexpected(options.name)),
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // Only the router talks to subgraphs, and it never sends persisted queries.
    persistedQueries: false,
    introspection: introspectionEnabled(),
    parseOptions: { maxTokens: 10_000 },
    // The process stops the server itself (after draining HTTP); Apollo's own handlers would re-raise the signal.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const log = () => loggerFor(options.name);
  const metrics = subgraphMetrics({ name: options.name, orm: options.orm, tasks: Object.keys(options.tasks ?? {}) });
  // One line per request, at debug: each client request fans out to several subgraph fetches, and the
  // router's line (info) already reports it; a refused one (bad signature, screening) is info.
  const execute = (request: HTTPGraphQLRequest): Promise<HTTPGraphQLResponse> =>
    withRequest(requestIdOf(request.headers.get(REQUEST_ID_HEADER)), async () => {
      const response = await inServerSpan(options.name, request, () => measured(metrics.requests, request, run));
      const status = response.status ?? 200;
      logRequest(log(), status, status >= 400 ? 'info' : 'debug');
      return response;
    });

  const run = async (request: HTTPGraphQLRequest): Promise<HTTPGraphQLResponse> => {
    // Reached directly, a subgraph screens what the router would have (nesting, null bytes).
    const screened = screenRequest(request);
    if (screened) {
      if (screened.body.kind === 'complete') noteResponseCodes(screened.body.string);
      return screened;
    }
    const { result, statements } = await sqlCounter.run(() =>
      requestPrincipal.run(() =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: request,
          context: async () => {
            // Every operation, `_service` and `_entities` included, needs a signature made for this
            // subgraph and this very request body, seconds ago — or, called in-process, the principal
            // handed over with that very body object (all-in-one mode).
            const binding = { audience: options.name, body: request.method === 'POST' ? request.body : undefined };
            const principal =
              takeHandedOverPrincipal(binding) ?? verifyPrincipal(request.headers.get(PRINCIPAL_HEADER), options.secret, binding);
            if (!principal) throw unauthenticated();
            // The active brand must be one the principal is granted (the router picks it; never trust it blindly).
            if (principal.storefrontId && !mayActOn(principal, principal.storefrontId)) throw unauthenticated();
            requestPrincipal.bind(principal);
            noteClient(principal);
            const em = options.orm.em.fork() as EntityManager;
            return { principal, em, loaders: options.createLoaders(em, principal), services: options.services as S };
          },
        }),
      ),
    );
    result.headers.set(SQL_COUNT_HEADER, String(statements));
    sqlCounter.add(statements);
    return result;
  };

  const serveMetrics = metricsEndpoint(() => [processMetrics(), metrics.registry]);

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok', subgraph: options.name });
    if (path === '/metrics') return serveMetrics(req, res);
    if (path === '/readyz') {
      void databaseReady(options.orm).then((ok) =>
        sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'database unavailable', subgraph: options.name }),
      );
      return;
    }
    if (path !== '/graphql' && path !== '/') return sendJson(res, 404, { error: 'not found' });
    // A body refused before `execute` (too large, not JSON) still gets its request line.
    withRequest(requestIdOf(req.headers[REQUEST_ID_HEADER]), () =>
      toGraphQLRequest(req)
        .then(execute)
        .then((response) => sendGraphQLResponse(res, response))
        .catch((error) => {
          sendBodyError(res, error);
          logRequest(log(), res.statusCode);
        }),
    );
  };

  const http = httpListener(handler);
  return {
    name: options.name,
    execute,
    handler,
    metrics: metrics.registry,
    ready: () => databaseReady(options.orm),
    // Run directly (tests, the job runner), a task's writes are audited as that job's.
    tasks: Object.fromEntries(
      Object.entries(options.tasks ?? {}).map(([name, run]) => [
        name,
        (...args: unknown[]) => auditAs({ kind: 'job', id: name }, () => (run as (...a: unknown[]) => Promise<unknown>)(...args)),
      ]),
    ),
    listen: http.listen,
    stop: async () => {
      await http.close();
      await options.onStop?.();
      await apollo.stop();
    },
  };
}
