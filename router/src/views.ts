import type { GatewayExecutor, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import type { Principal, PrincipalKind } from '@dcrm/kit/principal.js';
import { AUDIENCES, type Audience, audienceOf } from '@dcrm/kit/views.js';
import { loadView } from '@dcrm/schema';
import {
  buildSchema,
  type DocumentNode,
  execute,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';

/**
 * Each audience's view (schema/views/<audience>.graphql, written by `pnpm compose`). Without source
 * locations: with them every type and field keeps its SDL tokens alive, 7.5 MiB for the three views.
 */
export const loadViews = (): Record<Audience, GraphQLSchema> =>
  Object.fromEntries(AUDIENCES.map((audience) => [audience, buildSchema(loadView(audience), { noLocation: true })])) as Record<
    Audience,
    GraphQLSchema
  >;

/** One per audience plus the whole API (services): what the router picks from by principal kind. */
export type PerView<T> = Record<Audience | 'api', T>;
export const viewOf = (kind: PrincipalKind): Audience | 'api' => audienceOf(kind) ?? 'api';

/** An Apollo server (`make`) per view, all over one gateway. */
export function serversPerView<T>(
  gateway: GatewayInterface,
  views: Record<Audience, GraphQLSchema>,
  make: (gateway: GatewayInterface) => T,
): PerView<T> {
  const shared = shareGateway(gateway);
  const viewed = AUDIENCES.map((audience) => [audience, make(viewGateway(shared, views[audience]))]);
  return { api: make(shared), ...Object.fromEntries(viewed) };
}

/** The schema a principal's operations are checked against (null until the supergraph is loaded). */
export const schemaFor =
  (views: Record<Audience, GraphQLSchema>, apiSchema: () => GraphQLSchema | null) =>
  (principal: Principal): GraphQLSchema | null => {
    const view = viewOf(principal.kind);
    return apiSchema() && (view === 'api' ? apiSchema() : views[view]);
  };

/**
 * One gateway under several Apollo servers: loaded once, stopped with the last server, and its schema
 * handed to servers that subscribe after it loaded (ApolloGateway tells only the listeners it already has).
 */
export function shareGateway(gateway: GatewayInterface): GatewayInterface {
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  let latest: Parameters<GatewaySchemaLoadOrUpdateCallback>[0] | null = null;
  gateway.onSchemaLoadOrUpdate((context) => {
    latest = context;
    for (const listener of listeners) listener(context);
  });
  let loaded: ReturnType<GatewayInterface['load']> | null = null;
  let users = 0;
  return {
    onSchemaLoadOrUpdate(listener) {
      listeners.add(listener);
      if (latest) listener(latest);
      return () => listeners.delete(listener);
    },
    load(options) {
      users += 1;
      loaded ??= gateway.load(options);
      return loaded;
    },
    async stop() {
      users -= 1;
      if (users === 0) await gateway.stop();
    },
  };
}

/**
 * The shared gateway as one audience sees it. Apollo validates each operation against `view` (once per
 * text: its parsed-document cache), so a field outside the view is the ordinary GRAPHQL_VALIDATION_FAILED
 * of a field that does not exist, suggestions included; introspection answers from `view`; everything
 * else runs on the gateway, whose query plans every view shares.
 */
export function viewGateway(shared: GatewayInterface, view: GraphQLSchema): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (listener) =>
      shared.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => listener({ apiSchema: view, coreSupergraphSdl })),
    async load(options) {
      const { executor } = await shared.load(options);
      return { executor: executor && introspectingIn(view, executor) };
    },
    stop: () => shared.stop(),
  };
}

const INTROSPECTION = new Set(['__schema', '__type']);

type Fragments = Map<string, FragmentDefinitionNode>;

/** The root selections that are introspection (`__schema`, `__type`), through fragments; `others`: whether anything else is selected. */
function introspectionOf(selections: readonly SelectionNode[], fragments: Fragments): { kept: SelectionNode[]; others: boolean } {
  const kept: SelectionNode[] = [];
  let others = false;
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      if (INTROSPECTION.has(selection.name.value)) kept.push(selection);
      else if (selection.name.value !== '__typename') others = true;
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
    if (!fragment) continue;
    const inner = introspectionOf(fragment.selectionSet.selections, fragments);
    others ||= inner.others;
    if (inner.kept.length)
      kept.push({
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: fragment.typeCondition,
        directives: selection.directives,
        selectionSet: { kind: Kind.SELECTION_SET, selections: inner.kept },
      });
  }
  return { kept, others };
}

/**
 * Answers `__schema` and `__type` from the view (the gateway would answer from the whole API). An
 * operation that selects data too runs on the gateway, then its introspection fields are replaced.
 */
function introspectingIn(view: GraphQLSchema, executor: GatewayExecutor): GatewayExecutor {
  // Apollo hands the same parsed document for the same text: each operation is looked at once.
  const seen = new WeakMap<OperationDefinitionNode, { kept: SelectionNode[]; others: boolean; fragments: Fragments }>();
  const selected = (document: DocumentNode, operation: OperationDefinitionNode) => {
    let found = seen.get(operation);
    if (!found) {
      const fragments: Fragments = new Map();
      for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      found = { ...introspectionOf(operation.selectionSet.selections, fragments), fragments };
      seen.set(operation, found);
    }
    return found;
  };
  return async (request) => {
    const { document, operation } = request;
    const { kept, others, fragments } = selected(document, operation);
    if (kept.length === 0) return executor(request);
    const run = (doc: DocumentNode) =>
      execute({
        schema: view,
        document: doc,
        operationName: operation.name?.value,
        variableValues: request.request.variables,
        contextValue: request.context,
      });
    if (!others) return run(document);
    const introspection: OperationDefinitionNode = { ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections: kept } };
    const [data, local] = await Promise.all([executor(request), run({ ...document, definitions: [introspection, ...fragments.values()] })]);
    // Never the gateway's own introspection answer (the whole API): the view's, or its errors.
    if (!local.data) return { errors: local.errors };
    return data.data ? { ...data, data: { ...data.data, ...local.data } } : data;
  };
}
