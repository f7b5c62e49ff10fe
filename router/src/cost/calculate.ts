import {
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isObjectType,
} from 'graphql';
import { type ComplexityEstimatorArgs, getComplexity } from 'graphql-query-complexity';

/**
 * The calculated cost of an operation, before it runs (Shopify's calculated query cost):
 * - scalars and enums 0; every object 1 plus its selection; a plain list of objects (our small fixed
 *   lists) like one object;
 * - a sized field — a connection or list with `first`/`last`/`limit` (variables and schema defaults
 *   resolved; none given counts as the page size a subgraph then serves, the `default N` the size
 *   argument's description states — Relay connections leave `first` without a schema default so that
 *   `last` alone is not `first` with `last`; explicit null, no stated default and anything over 100
 *   count as 100, the most a subgraph serves) — 2 + size ×
 *   the cost of its items (`nodes`, `edges`); the connection's own fields (`facets`, `totalCount`) count
 *   once, and the `edges` wrappers and `pageInfo` are free, so `products(first: 10) { nodes { name } }`
 *   costs 2 + 10 × 1 = 12;
 * - each mutation field a fixed 10 (its payload is not added);
 * - introspection (`__schema`, `__type`) 1 whatever it selects, `__typename` 0.
 * Fragments count as selected; on an abstract type the most expensive concrete type counts; fields
 * left out by `@skip`/`@include` count nothing. Aliases count once each.
 */
export const COST = { object: 1, connection: 2, mutation: 10, introspection: 1, unsizedPage: 100 } as const;

/** The arguments that size a list (a page): its cost is the item's times the size. */
export const SIZE_ARGUMENTS = ['first', 'last', 'limit'];

const isFree = (name: string) => name === 'PageInfo' || name.endsWith('Edge');
const isConnection = (type: GraphQLNamedType) => isObjectType(type) && ('edges' in type.getFields() || 'nodes' in type.getFields());

// biome-ignore lint/suspicious/noExplicitAny: graphql-query-complexity's own field type
function sizeOf(field: GraphQLField<any, any>, args: Record<string, unknown>): number | null {
  const sized = field.args.filter((a) => SIZE_ARGUMENTS.includes(a.name));
  if (sized.length === 0) return null;
  const given = sized.map((a) => args[a.name]).filter((v): v is number => typeof v === 'number');
  if (given.length === 0) {
    const explicitNull = sized.some((a) => a.name in args);
    const stated = sized.map((a) => /\bdefault (\d+)\b/.exec(a.description ?? '')?.[1]).find((d) => d !== undefined);
    return !explicitNull && stated ? Math.min(COST.unsizedPage, Number(stated)) : COST.unsizedPage;
  }
  // Over 100 the subgraph refuses the page itself (BAD_USER_INPUT), so it never costs more.
  return Math.min(COST.unsizedPage, Math.max(0, ...given));
}

const ITEM_FIELDS = new Set(['nodes', 'edges']);

/**
 * graphql-query-complexity hands an estimator its children's cost as one sum; a connection's own
 * fields are estimated first (children before parents), so their cost is noted here per field node
 * and taken out of the sum the connection multiplies by its page size.
 */
const estimator = (mutation: string | undefined) => {
  const once = new Map<FieldNode, number>();
  const onceCost = (node: FieldNode): number =>
    (node.selectionSet?.selections ?? []).reduce((sum, selection) => {
      if (selection.kind === 'Field') return sum + (once.get(selection) ?? 0);
      if (selection.kind === 'InlineFragment') return sum + onceCost({ ...node, selectionSet: selection.selectionSet });
      return sum;
    }, 0);
  return ({ type, field, node, args, childComplexity }: ComplexityEstimatorArgs): number => {
    const cost = fieldCost(mutation, type, field, node, args, childComplexity, onceCost);
    if (isConnection(type) && !ITEM_FIELDS.has(field.name)) once.set(node, cost);
    return cost;
  };
};

function fieldCost(
  mutation: string | undefined,
  type: GraphQLNamedType,
  // biome-ignore lint/suspicious/noExplicitAny: graphql-query-complexity's own field type
  field: GraphQLField<any, any>,
  node: FieldNode,
  args: Record<string, unknown>,
  childComplexity: number,
  onceCost: (node: FieldNode) => number,
): number {
  if (field.name === '__typename') return 0;
  if (field.name === '__schema' || field.name === '__type') return COST.introspection;
  if (type.name === mutation) return COST.mutation;
  const named = getNamedType(field.type);
  const size = sizeOf(field, args);
  if (isLeafType(named)) return size === null ? 0 : COST.connection;
  if (size !== null) {
    if (!isConnection(named)) return COST.connection + size * (COST.object + childComplexity);
    // A connection's items are its `nodes`/`edges.node` objects, counted inside; its own fields once.
    const own = onceCost(node);
    return COST.connection + size * (childComplexity - own) + own;
  }
  if (isFree(named.name)) return childComplexity;
  // A plain list (no size argument) is one of our small fixed lists: counted like one object.
  return COST.object + childComplexity;
}

/** The operation's calculated cost; throws a GraphQLError when its variables do not coerce. */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables?: Record<string, unknown>, operationName?: string) {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName: operationName ?? undefined,
    estimators: [estimator(schema.getMutationType()?.name)],
  });
}
