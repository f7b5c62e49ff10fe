import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { noteResolvedOperation } from '@dcrm/kit/logger.js';
import type { Principal } from '@dcrm/kit/principal.js';
import { noteOperationOnSpan } from '@dcrm/kit/tracing.js';
import { type GraphQLSchema, getVariableValues } from 'graphql';
import type { Identity } from './authenticate.js';
import type { Passed, PassedOperation } from './context.js';
import type { CostClient } from './cost/client.js';
import type { Charger } from './cost/plugin.js';
import { operationMemory } from './fast-path-memory.js';
import type { RouterMetrics } from './metrics.js';
import { DATA_PREFIX, handOn, passedBody, sendWhole, wholeRequest } from './passthrough.js';
import { inRequestContext } from './request-context.js';

/**
 * The endpoint's fast path: a query or mutation Apollo already answered with data for the same view, text and
 * operation name, and that the gateway planned as one plain fetch (passthrough.ts), is answered again
 * without Apollo's pipeline (hashing the text, plugin hooks, context, result shaping), as the passthrough
 * answers it. Apollo parsed and validated that text against that view; what remains per request is
 * done here as Apollo's plugins do it, with their own functions: variables coerced, the cost charged
 * (cost/plugin.ts), the request context (request-context.ts), the operation noted for metrics, the
 * request line and the span, the fetch counted (passthrough.ts) — and the answer written as Apollo
 * writes it, byte for byte.
 *
 * Anything else goes to Apollo: a request of another shape, one not remembered, variables that do not
 * coerce, a THROTTLED charge (handed on in `Passed.charged`: Apollo's cost plugin throws that refusal,
 * which took nothing from the bucket, without asking the bucket again) — Apollo then answers with its
 * own errors. An answer with errors, or a subgraph that is down, goes to Apollo too, charged and sent
 * already (`Passed.charged`, `Passed.sent`): the gateway shapes the answer it was given, or fetches
 * a query once more, as on Apollo's passthrough (a mutation is never sent twice: see `handOn`). A new supergraph forgets every operation.
 */
export type FastPath = {
  /** The response to `request`, or null: Apollo answers it (with `passed` as the fast path left it). */
  answer(request: HTTPGraphQLRequest, known: Identity, cost: CostClient, passed: Passed): Promise<HTTPGraphQLResponse | null>;
  /** After Apollo answered `request` with data: remembers it if it was a single-fetch query, and the content type Apollo chose for its `accept`. */
  remember(request: HTTPGraphQLRequest, passed: Passed, response: HTTPGraphQLResponse): void;
};

export type FastPathDeps = {
  /** The schema a principal's operations are validated against (views.ts `schemaFor`); null before the supergraph loads. */
  schemaOf: (principal: Principal) => GraphQLSchema | null;
  /** The gateway's API schema: a new one is a new supergraph. */
  supergraph: () => GraphQLSchema | null;
  charge: Charger;
  metrics: RouterMetrics;
};

/** Off with `DCRM_FAST_PATH=off` (and with the passthrough): every query then runs through Apollo. */
export const fastPathEnabled = (env: NodeJS.ProcessEnv = process.env) => env.DCRM_FAST_PATH !== 'off';

/** Distinct `accept` values whose content type is learnt from Apollo; a request with any other goes to Apollo. */
const ACCEPT_VALUES = 32;

type Plain = { query: string; variables: Record<string, unknown> | undefined; operationName: string | undefined };

const isJson = (type: string | undefined) => type !== undefined && type.split(';')[0].trim().toLowerCase() === 'application/json';

/**
 * A request as the fast path may take it: a POST of a JSON object (Apollo's CSRF check passes it) with
 * `query` text, no `extensions` (persisted queries are Apollo's), `variables` an object or none, a
 * non-empty `operationName` or none. Anything Apollo would refuse as a bad request is not plain.
 */
export function plainRequest(request: HTTPGraphQLRequest): Plain | null {
  if (request.method !== 'POST' || !isJson(request.headers.get('content-type'))) return null;
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, variables, operationName, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string' || extensions !== undefined) return null;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
  if (operationName != null && (typeof operationName !== 'string' || operationName === '')) return null;
  return {
    query,
    variables: (variables ?? undefined) as Plain['variables'],
    operationName: (operationName ?? undefined) as Plain['operationName'],
  };
}

export function createFastPath(deps: FastPathDeps): FastPath {
  const { metrics } = deps;
  const memory = operationMemory();
  // Apollo's content type for each `accept` value it answered a passed-through query for ('' when absent).
  const contentTypes = new Map<string, string>();

  const answer: FastPath['answer'] = async (request, known, cost, passed) => {
    const plain = plainRequest(request);
    const contentType = plain && contentTypes.get(request.headers.get('accept') ?? '');
    const schema = contentType ? deps.schemaOf(known.principal) : null;
    if (!plain || !schema) return null;
    const remembered = memory.get(deps.supergraph(), schema, plain.query, plain.operationName);
    if (!remembered) {
      metrics.fastPath('miss');
      return null;
    }
    const { document, operation, target } = remembered;
    const { query, variables, operationName } = plain;
    if ('errors' in getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {})) {
      metrics.fastPath('declined');
      return null;
    }
    const charged = await deps.charge(cost, schema, document, variables, operation.name?.value);
    if (!charged || charged.refusal) {
      // THROTTLED: Apollo answers with this very refusal, the bucket is not asked twice.
      if (charged) passed.charged = charged;
      metrics.fastPath('declined');
      return null;
    }
    // What Apollo's plugins note once the operation is resolved (metrics.ts, kit logger.ts and tracing.ts).
    const resolved = operation.name?.value ?? null;
    metrics.resolved(request, resolved);
    noteResolvedOperation(resolved, operation);
    noteOperationOnSpan('router', resolved, operation.operation);
    const principal = inRequestContext(known.principal, {}, request.headers.get('accept-language'));
    const sent = await sendWhole(target, wholeRequest(query, variables, operationName), principal, metrics);
    if (sent.data !== null) {
      metrics.fastPath('answered');
      const headers = new HeaderMap([['content-type', contentType as string]]);
      return { status: undefined, headers, body: { kind: 'complete', string: passedBody(sent.data, charged.extension) } };
    }
    metrics.fastPath('fallback');
    passed.charged = charged;
    passed.sent = true;
    handOn(passed, target.name, sent, operation.operation);
    return null;
  };

  const remember: FastPath['remember'] = (request, passed, response) => {
    const operation: PassedOperation | undefined = passed.operation;
    // Answered with data, no errors (Apollo writes `errors` first), by the gateway or the passthrough.
    const body = response.body.kind === 'complete' ? response.body.string : '';
    if (!operation || (response.status ?? 200) !== 200 || !body.startsWith(DATA_PREFIX)) return;
    const plain = plainRequest(request);
    const contentType = response.headers.get('content-type');
    if (!plain || !contentType) return;
    const accept = request.headers.get('accept') ?? '';
    if (!contentTypes.has(accept) && contentTypes.size < ACCEPT_VALUES) contentTypes.set(accept, contentType);
    memory.set(deps.supergraph(), operation, plain.query, plain.operationName);
  };

  return { answer, remember };
}
