import http, { type IncomingHttpHeaders } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Agent, request } from 'undici';
import { isServiceUnavailable, serviceUnavailable } from './errors.js';
import { currentRequest, loggerFor, REQUEST_ID_HEADER } from './logger.js';
import { handOverPrincipal, PRINCIPAL_HEADER, type Principal, signPrincipal, withRequestContext } from './principal.js';
import { requestPrincipal } from './request-principal.js';
import type { SubgraphServer } from './server.js';
import { SQL_COUNT_HEADER, sqlCounter } from './sql-counter.js';
import { inClientSpan } from './tracing.js';

export type SubgraphRequest = { query: string; variables?: Record<string, unknown>; operationName?: string };

/** One subgraph as the router sees it: run an operation as a principal; check readiness. */
export type SubgraphTarget = {
  name: string;
  execute(request: SubgraphRequest, principal: Principal): Promise<GatewayGraphQLResponse>;
  /**
   * As `execute`, but the answer's JSON text as the subgraph wrote it, unparsed (the router's
   * single-fetch passthrough forwards it). Throws SERVICE_UNAVAILABLE exactly when `execute` does.
   */
  raw(request: SubgraphRequest, principal: Principal): Promise<string>;
  ready(): Promise<boolean>;
};

/**
 * What a failed call to a subgraph means to its caller. Refused, reset, timed out, 5xx or not JSON:
 * the subgraph is unavailable (SERVICE_UNAVAILABLE, retryable) — only the fields that needed it fail.
 */
function unavailable(name: string, cause: unknown): Error {
  if (isServiceUnavailable(cause)) return cause as Error;
  loggerFor('subgraph-fetch').warn(
    { subgraph: name, cause: cause instanceof Error ? cause.message : String(cause) },
    `${name} unavailable`,
  );
  return serviceUnavailable(name);
}

/**
 * An answer carrying errors, as a caller's exception: a SERVICE_UNAVAILABLE among them (the subgraph's
 * own peer was down) stays one, naming the service that was down; anything else is a plain fault.
 */
export function answerError(name: string, errors: readonly { message: string; extensions?: Record<string, unknown> }[]): Error {
  const down = errors.find((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
  if (down) return serviceUnavailable(typeof down.extensions?.service === 'string' ? down.extensions.service : name);
  return new Error(`${name}: ${errors[0]?.message ?? 'no data'}`);
}

/**
 * All-in-one mode: no socket, but the request still goes through the subgraph's own
 * `executeHTTPGraphQLRequest`, so its access checks and plugins run exactly as over HTTP. The principal
 * is handed over with the request object itself (`handOverPrincipal`), not signed: nothing leaves the process.
 */
export function inProcessTarget(server: SubgraphServer): SubgraphTarget {
  const raw = (request: SubgraphRequest, principal: Principal): Promise<string> =>
    inClientSpan(server.name, request.operationName, async (trace) => {
      const headers = new HeaderMap([['content-type', 'application/json'], ...Object.entries(trace)]);
      handOverPrincipal(withRequestContext(principal, requestPrincipal.current()), { audience: server.name, body: request });
      const requestId = currentRequest()?.requestId;
      if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
      try {
        const response = await server.execute({ method: 'POST', headers, search: '', body: request });
        if ((response.status ?? 200) >= 500) throw new Error(`answered ${response.status}`);
        if (response.body.kind !== 'complete') throw new Error('Incremental delivery is not used between router and subgraphs');
        return response.body.string;
      } catch (error) {
        throw unavailable(server.name, error);
      }
    });
  return {
    name: server.name,
    ready: () => server.ready(),
    execute: async (request, principal) => parsed(server.name, await raw(request, principal)),
    raw,
  };
}

/** A subgraph's answer text (`raw`) as the response it is, or null when it is not a JSON object. */
export function parseAnswer(body: string): GatewayGraphQLResponse | null {
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as GatewayGraphQLResponse) : null;
  } catch {
    return null;
  }
}

/** An answer's JSON text as a response (text that is not a JSON object: the subgraph is unavailable). */
function parsed(name: string, body: string): GatewayGraphQLResponse {
  const response = parseAnswer(body);
  if (!response) throw unavailable(name, new Error('answered with something other than a JSON object'));
  return response;
}

// Readiness probes only; operations go through undici's pool (`post`).
const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
// One keep-alive pool per subgraph origin. Idle sockets close before the subgraph's own keep-alive timeout (65 s),
// or at the one the subgraph announces, so a request is never written to a socket the server is closing.
const dispatcher = new Agent({ connections: 256, keepAliveTimeout: 30_000 });

/** POSTs `body` as JSON; the answer's status, headers and text. `timeoutMs` bounds the wait for the headers and for each part of the body. */
async function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const response = await request(url, { method: 'POST', headers, body, dispatcher, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}

/**
 * Production mode: undici's keep-alive pool (`post`). Stock gateway's fetch stack spends a quarter of its
 * CPU building error stacks (a plain `node:http` client measured ~1.8× its throughput on these machines);
 * undici's `request` costs about two thirds of the CPU `node:http` does per call.
 */
export function httpTarget(name: string, graphqlUrl: string, secret: string, timeoutMs = 10_000): SubgraphTarget {
  const url = new URL(graphqlUrl);
  const base = new URL('/', url);
  const raw = (request: SubgraphRequest, principal: Principal): Promise<string> =>
    inClientSpan(name, request.operationName, async (trace) => {
      const headers: Record<string, string> = {
        ...trace,
        'content-type': 'application/json',
        [PRINCIPAL_HEADER]: signPrincipal(withRequestContext(principal, requestPrincipal.current()), secret, {
          audience: name,
          body: request,
        }),
      };
      const requestId = currentRequest()?.requestId;
      if (requestId) headers[REQUEST_ID_HEADER] = requestId;
      try {
        const response = await post(url, JSON.stringify(request), headers, timeoutMs);
        sqlCounter.add(Number(response.headers[SQL_COUNT_HEADER] ?? 0));
        if (response.status >= 500 || !(response.headers['content-type'] ?? '').includes('json')) {
          throw new Error(`answered ${response.status}`);
        }
        return response.body;
      } catch (error) {
        throw unavailable(name, error);
      }
    });
  return {
    name,
    async ready() {
      return new Promise((resolve) => {
        const req = http.get(new URL('/readyz', base), { agent: probeAgent }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        });
        req.setTimeout(2_000, () => req.destroy());
        req.on('error', () => resolve(false));
      });
    },
    execute: async (request, principal) => parsed(name, await raw(request, principal)),
    raw,
  };
}

/**
 * Another subgraph's entities by id, in id order (null where the principal may not see one):
 * `_entities` with a selection such as `id name segment`. Throws when the subgraph answers with errors.
 */
export async function entitiesOf<T>(
  target: SubgraphTarget,
  principal: Principal,
  typename: string,
  selection: string,
  ids: readonly string[],
): Promise<(T | null)[]> {
  if (ids.length === 0) return [];
  const response = await target.execute(
    {
      query: `query Entities($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${typename} { ${selection} } } }`,
      variables: { reps: ids.map((id) => ({ __typename: typename, id })) },
    },
    principal,
  );
  if (response.errors?.length) throw answerError(target.name, response.errors);
  const entities = (response.data?._entities ?? []) as (T | null)[];
  return ids.map((_, i) => entities[i] ?? null);
}
