import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import { type ApolloServerPlugin, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { codeLabel } from '@dcrm/kit/metrics.js';
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
import type { RouterMetrics } from './metrics.js';

/**
 * Single-fetch passthrough. A query whose plan is one fetch from one subgraph is answered by sending
 * the client's own document to that subgraph and forwarding its `data` as the subgraph wrote it: no
 * result shaping, no parse and no re-serialisation of what can be a large answer. Apollo has parsed,
 * validated (against the caller's view) and costed the operation by then (`responseForOperation`
 * runs after every `didResolveOperation`). An answer with errors falls back to the gateway, which
 * shapes that same answer (its one fetch reads it from the context instead of the subgraph), so error
 * shapes and partial answers stay its own; a subgraph that is down is fetched again by the gateway.
 *
 * Eligibility is decided once per parsed document (Apollo keeps one per operation text and view) and
 * operation name, when the gateway first plans it; until then the gateway answers.
 */
export type Passthrough = {
  /** The gateway's `experimental_didResolveQueryPlan`: records whether a plan is one plain fetch. */
  onPlan: Experimental_DidResolveQueryPlanCallback;
  plugin: ApolloServerPlugin<RouterContext>;
};

/** Off with `DCRM_PASSTHROUGH=off` (every query then runs on the gateway, for diagnosis). */
export const passthroughEnabled = (env: NodeJS.ProcessEnv = process.env) => env.DCRM_PASSTHROUGH !== 'off';

type Plan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];

/** The subgraph of a plan that is one fetch of a query with nothing to rewrite, require or defer; else null. */
export function singleFetchService(plan: Plan): string | null {
  const node = plan.node;
  if (node?.kind !== 'Fetch' || node.operationKind !== OperationTypeNode.QUERY || node.hasDefers) return null;
  if (node.requires?.length || node.inputRewrites?.length || node.outputRewrites?.length || node.contextRewrites?.length) return null;
  return node.serviceName;
}

const PLAIN_DIRECTIVES = new Set(['include', 'skip']);
const INTROSPECTION = new Set(['__schema', '__type']);

/**
 * Whether a subgraph answers this document exactly as the gateway would: one query, no operation
 * directive (`@inContext` is the router's), no directive but `@include`/`@skip`, no introspection,
 * and no abstract type anywhere (a subgraph may know fewer possible types than the supergraph).
 */
export function plainDocument(schema: GraphQLSchema, document: DocumentNode): boolean {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0].operation !== OperationTypeNode.QUERY || operations[0].directives?.length) return false;
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

const DATA_PREFIX = '{"data":';

/** A subgraph's answer read once: `data`, its data text (no errors), else `response`, parsed (null: not JSON) for the gateway. */
export type Answer = { data: string } | { data: null; response: GatewayGraphQLResponse | null };

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

/** The response of a passed-through operation, with the subgraph's data text in place of the placeholder. */
export function spliceData(response: HTTPGraphQLResponse, passthrough: Passed): void {
  const data = passthrough.data;
  if (data === undefined || response.body.kind !== 'complete' || !response.body.string.startsWith(PLACEHOLDER)) return;
  response.body = { kind: 'complete', string: DATA_PREFIX + data + response.body.string.slice(PLACEHOLDER.length) };
}

export function createPassthrough(byName: ReadonlyMap<string, SubgraphTarget>, metrics?: RouterMetrics): Passthrough {
  // Per parsed document, per operation name: the subgraph to send it to, or null (the gateway runs it).
  const decided = new WeakMap<DocumentNode, Map<string, SubgraphTarget | null>>();
  const onPlan: Experimental_DidResolveQueryPlanCallback = ({ queryPlan, requestContext }) => {
    const { document, request, schema } = requestContext;
    let byOperation = decided.get(document);
    if (!byOperation) decided.set(document, (byOperation = new Map()));
    const key = request.operationName ?? '';
    if (byOperation.has(key)) return;
    const service = singleFetchService(queryPlan);
    const target = service && plainDocument(schema, document) ? (byName.get(service) ?? null) : null;
    byOperation.set(key, target);
  };
  const plugin: ApolloServerPlugin<RouterContext> = {
    async requestDidStart() {
      return {
        async responseForOperation({ document, request, contextValue }) {
          const target = document && decided.get(document)?.get(request.operationName ?? '');
          // Only HTTP requests (their endpoint sends the data on) with the client's own text.
          if (!target || !contextValue.passed || typeof request.query !== 'string') return null;
          const sent: SubgraphRequest = { query: request.query };
          if (request.variables) sent.variables = request.variables;
          if (request.operationName) sent.operationName = request.operationName;
          const done = metrics?.fetch(target.name);
          const body = await target.raw(sent, contextValue.principal).catch(() => null);
          const answer = body === null ? null : readAnswer(body);
          metrics?.passthrough(target.name, answer?.data != null);
          if (!answer || answer.data === null) {
            // Errors: the gateway shapes them from this very answer (no second fetch); unavailable: it retries.
            const response = answer?.response ?? null;
            done?.(
              response?.errors?.length ? codeLabel(response.errors[0].extensions?.code) : body === null ? 'SERVICE_UNAVAILABLE' : null,
            );
            if (response) contextValue.passed.answer = { service: target.name, response };
            return null;
          }
          done?.(null);
          contextValue.passed.data = answer.data;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: {} } } };
        },
      };
    },
  };
  return { onPlan, plugin };
}
