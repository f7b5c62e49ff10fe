import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import { type ApolloServerPlugin, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { serviceUnavailable } from '@dcrm/kit/errors.js';
import { codeLabel } from '@dcrm/kit/metrics.js';
import type { Principal } from '@dcrm/kit/principal.js';
import { parseAnswer, type SubgraphRequest, type SubgraphTarget } from '@dcrm/kit/targets.js';
import {
  type DocumentNode,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  Kind,
  OperationTypeNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Passed, RouterContext } from './context.js';
import type { CostExtension } from './cost/plugin.js';
import type { RouterMetrics } from './metrics.js';

/**
 * Single-fetch passthrough. A query or mutation whose plan is one fetch from one subgraph is answered
 * by sending the client's own document to that subgraph and forwarding its `data` as the subgraph wrote
 * it: no result shaping, no parse and no re-serialisation of what can be a large answer. Apollo has
 * parsed, validated (against the caller's view) and costed the operation by then (`responseForOperation`
 * runs after every `didResolveOperation`). An answer with errors falls back to the gateway, which
 * shapes that same answer (its one fetch reads it from the context instead of the subgraph), so error
 * shapes and partial answers stay its own. A subgraph that is down is fetched again by the gateway for a
 * query; a mutation is never sent twice (the first may have been applied before its answer was lost):
 * the gateway is handed the failure instead, and answers SERVICE_UNAVAILABLE as it would have.
 * A mutation's fields run one after another on the subgraph as on the gateway, which sends a plan of
 * one fetch as one document too.
 *
 * Eligibility is decided once per parsed document (Apollo keeps one per operation text and view) and
 * operation name, when the gateway first plans it; until then the gateway answers. Such a query, once
 * answered with data (by the gateway or passed through), is left in `Passed.operation`: the endpoint's
 * fast path (fast-path.ts) answers its repeats without Apollo, with `wholeRequest` and `sendWhole` as here.
 */
export type Passthrough = {
  /** The gateway's `experimental_didResolveQueryPlan`: records whether a plan is one plain fetch. */
  onPlan: Experimental_DidResolveQueryPlanCallback;
  plugin: ApolloServerPlugin<RouterContext>;
};

/** Off with `DCRM_PASSTHROUGH=off` (every query then runs on the gateway, for diagnosis). */
export const passthroughEnabled = (env: NodeJS.ProcessEnv = process.env) => env.DCRM_PASSTHROUGH !== 'off';

type Plan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];

const PASSED_KINDS: ReadonlySet<string> = new Set([OperationTypeNode.QUERY, OperationTypeNode.MUTATION]);

/** The subgraph of a plan that is one fetch of a query or mutation with nothing to rewrite, require or defer; else null. */
export function singleFetchService(plan: Plan): string | null {
  const node = plan.node;
  if (node?.kind !== 'Fetch' || !PASSED_KINDS.has(node.operationKind) || node.hasDefers) return null;
  if (node.requires?.length || node.inputRewrites?.length || node.outputRewrites?.length || node.contextRewrites?.length) return null;
  return node.serviceName;
}

const PLAIN_DIRECTIVES = new Set(['include', 'skip']);
const INTROSPECTION = new Set(['__schema', '__type']);

/**
 * Whether a subgraph answers this document exactly as the gateway would: one query or mutation, no operation
 * directive (`@inContext` is the router's), no directive but `@include`/`@skip`, no introspection,
 * and no abstract type anywhere (a subgraph may know fewer possible types than the supergraph).
 */
export function plainDocument(schema: GraphQLSchema, document: DocumentNode): boolean {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || !PASSED_KINDS.has(operations[0].operation) || operations[0].directives?.length) return false;
  let plain = true;
  const typeInfo = new TypeInfo(schema);
  const typeConditionAbstract = (name?: string) => {
    const type = name ? schema.getType(name) : undefined;
    if (type && isAbstractType(type)) plain = false;
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Directive(node) {
        if (!PLAIN_DIRECTIVES.has(node.name.value)) plain = false;
      },
      Field(node) {
        const type = typeInfo.getType();
        if (INTROSPECTION.has(node.name.value) || !type || isAbstractType(getNamedType(type))) plain = false;
      },
      InlineFragment(node) {
        typeConditionAbstract(node.typeCondition?.name.value);
      },
      FragmentDefinition(node) {
        typeConditionAbstract(node.typeCondition.name.value);
      },
    }),
  );
  return plain;
}

/** How a response (or a subgraph's answer) with data and no errors begins. */
export const DATA_PREFIX = '{"data":';

/**
 * A subgraph's answer read once: `data`, its data text (no errors), else `response`, parsed (null: not
 * JSON) for the gateway; `failed`, why there is no answer at all (the subgraph is unavailable).
 */
export type Answer = { data: string } | { data: null; response: GatewayGraphQLResponse | null; failed?: Error };

/** The `data` of an answer as the subgraph wrote it (`{"data":…}`: Apollo writes `errors` first), parsed only when it must be. */
export function readAnswer(body: string): Answer {
  if (body.startsWith(DATA_PREFIX) && !body.includes('"extensions":')) {
    let end = body.length;
    while (end > 0 && (body[end - 1] === '\n' || body[end - 1] === ' ')) end -= 1;
    const data = body.slice(DATA_PREFIX.length, end - 1);
    if (body[end - 1] === '}' && data !== 'null') return { data };
  }
  // Extensions are not the subgraph's to send on: the data alone, serialised again.
  const response = parseAnswer(body);
  if (response && !response.errors?.length && response.data != null) return { data: JSON.stringify(response.data) };
  return { data: null, response };
}

/** What the plugin answers with: Apollo serialises it (and the cost extension); the endpoint puts the subgraph's data in. */
const PLACEHOLDER = `${DATA_PREFIX}{}`;

/** The body Apollo sends for a passed-through operation (what `spliceData` makes), written without Apollo: the data text, then `extensions.cost`. */
export function passedBody(data: string, cost: CostExtension | null): string {
  const rest = JSON.stringify(cost ? { data: {}, extensions: { cost } } : { data: {} });
  // Apollo ends every JSON body with a newline.
  return `${DATA_PREFIX}${data}${rest.slice(PLACEHOLDER.length)}\n`;
}

/** The response of a passed-through operation, with the subgraph's data text in place of the placeholder. */
export function spliceData(response: HTTPGraphQLResponse, passthrough: Passed): void {
  const data = passthrough.data;
  if (data === undefined || response.body.kind !== 'complete' || !response.body.string.startsWith(PLACEHOLDER)) return;
  response.body = { kind: 'complete', string: DATA_PREFIX + data + response.body.string.slice(PLACEHOLDER.length) };
}

/** The request a passed-through operation is sent to its subgraph as: the client's own text, variables and operation name. */
export function wholeRequest(
  query: string,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): SubgraphRequest {
  const sent: SubgraphRequest = { query };
  if (variables) sent.variables = variables;
  if (operationName) sent.operationName = operationName;
  return sent;
}

/**
 * Sends an operation whole to its subgraph as `principal`, timed and counted (a fetch, and a
 * passthrough answered or falling back): its answer read once, or why there is none.
 */
export async function sendWhole(
  target: SubgraphTarget,
  sent: SubgraphRequest,
  principal: Principal,
  metrics?: RouterMetrics,
): Promise<Answer> {
  const done = metrics?.fetch(target.name);
  let failed: Error | undefined;
  const body = await target.raw(sent, principal).catch((error: Error) => {
    failed = error;
    return null;
  });
  const answer: Answer = body === null ? { data: null, response: null, failed } : readAnswer(body);
  metrics?.passthrough(target.name, answer.data !== null);
  if (answer.data !== null) {
    done?.(null);
    return answer;
  }
  const errors = answer.response?.errors;
  done?.(errors?.length ? codeLabel(errors[0].extensions?.code) : body === null ? 'SERVICE_UNAVAILABLE' : null);
  return answer;
}

/**
 * What the gateway is handed when a passed-through operation had no data: the answer with errors, which
 * its one fetch then reads instead of asking again. With no answer at all, a query is left for it to
 * fetch once more; a mutation never is (the subgraph may have applied it): its fetch gets the failure
 * (text that is not JSON is the subgraph unavailable, as `execute` has it).
 */
export function handOn(passed: Passed, service: string, answer: Answer, kind: OperationTypeNode): void {
  if (answer.data !== null) return;
  if (answer.response) passed.answer = { service, response: answer.response };
  else if (kind === OperationTypeNode.MUTATION) passed.answer = { service, failed: answer.failed ?? serviceUnavailable(service) };
}

type Decision = { target: SubgraphTarget; supergraph: GraphQLSchema } | null;

export function createPassthrough(byName: ReadonlyMap<string, SubgraphTarget>, metrics?: RouterMetrics): Passthrough {
  // Per parsed document, per operation name: the subgraph to send it to, or null (the gateway runs it).
  const decided = new WeakMap<DocumentNode, Map<string, Decision>>();
  const onPlan: Experimental_DidResolveQueryPlanCallback = ({ queryPlan, requestContext, operationContext }) => {
    const { document, request, schema, operation } = requestContext;
    let byOperation = decided.get(document);
    if (!byOperation) decided.set(document, (byOperation = new Map()));
    const key = request.operationName ?? '';
    let decision = byOperation.get(key);
    if (decision === undefined) {
      const service = singleFetchService(queryPlan);
      const target = service && plainDocument(schema, document) ? byName.get(service) : undefined;
      decision = target ? { target, supergraph: operationContext.schema } : null;
      byOperation.set(key, decision);
    }
    // An HTTP request's: once the gateway has answered it with data, the fast path may answer the next one.
    const passed = (requestContext.context as Partial<RouterContext>).passed;
    if (decision && passed) passed.operation = { schema, document, operation, ...decision };
  };
  const plugin: ApolloServerPlugin<RouterContext> = {
    async requestDidStart() {
      return {
        async responseForOperation({ document, operation, request, contextValue, schema }) {
          const decision = document && decided.get(document)?.get(request.operationName ?? '');
          const { passed } = contextValue;
          // Only HTTP requests (their endpoint sends the data on) with the client's own text, not already sent by the fast path.
          if (!decision || !operation || !passed || passed.sent || typeof request.query !== 'string') return null;
          const { target, supergraph } = decision;
          const sent = wholeRequest(request.query, request.variables, request.operationName);
          const answer = await sendWhole(target, sent, contextValue.principal, metrics);
          if (answer.data === null) {
            // Errors: the gateway shapes them from this very answer (no second fetch); unavailable: it retries a query.
            handOn(passed, target.name, answer, operation.operation);
            return null;
          }
          passed.data = answer.data;
          passed.operation = { schema, document, operation, target, supergraph };
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: {} } } };
        },
      };
    },
  };
  return { onPlan, plugin };
}
