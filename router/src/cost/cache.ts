import { type DocumentNode, type GraphQLSchema, visit } from 'graphql';
import { queryCost, SIZE_ARGUMENTS } from './calculate.js';

/** What one parsed document's cost depends on, and the costs already calculated for it. */
type Known = { inputs: readonly string[]; costs: Map<string, number> };

/**
 * The names of the variables an operation's cost can depend on: those inside a size argument
 * (`first`, `last`, `limit`) or an `@skip`/`@include` condition. Every other variable (a slug, an id,
 * a search term) changes what is fetched, never what it costs.
 */
export function costInputs(document: DocumentNode): string[] {
  const names = new Set<string>();
  let depth = 0;
  const enterCounted = () => {
    depth += 1;
  };
  const leaveCounted = () => {
    depth -= 1;
  };
  visit(document, {
    Argument: {
      enter: (node) => (SIZE_ARGUMENTS.includes(node.name.value) ? enterCounted() : undefined),
      leave: (node) => (SIZE_ARGUMENTS.includes(node.name.value) ? leaveCounted() : undefined),
    },
    Directive: {
      enter: (node) => (node.name.value === 'skip' || node.name.value === 'include' ? enterCounted() : undefined),
      leave: (node) => (node.name.value === 'skip' || node.name.value === 'include' ? leaveCounted() : undefined),
    },
    Variable: (node) => {
      if (depth > 0) names.add(node.name.value);
    },
    // A variable's definition is not a use of it.
    VariableDefinition: () => false,
  });
  return [...names].sort();
}

/**
 * `queryCost` remembered per (view schema, parsed document, operation name, the values of the
 * variables its cost depends on). Apollo hands the same parsed document for the same text (its
 * document cache), so a storefront sending the same operations pays the cost walk once per distinct
 * page size rather than on every request. Variables that do not coerce are not remembered (`queryCost`
 * throws, as before); a request whose other variables do not coerce is still costed (from memory)
 * before execution refuses it. At most `perDocument` variants are kept per document, oldest dropped.
 */
export function cachedQueryCost(perDocument = 64) {
  const bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Known>>();
  return (schema: GraphQLSchema, document: DocumentNode, variables?: Record<string, unknown>, operationName?: string): number => {
    let byDocument = bySchema.get(schema);
    if (!byDocument) {
      byDocument = new WeakMap();
      bySchema.set(schema, byDocument);
    }
    let known = byDocument.get(document);
    if (!known) {
      known = { inputs: costInputs(document), costs: new Map() };
      byDocument.set(document, known);
    }
    const given = variables ?? {};
    // `undefined` and absent alike fall back to the variable's default; `null` is sent as null.
    const key = `${operationName ?? ''}\u0000${known.inputs.map((name) => JSON.stringify(given[name]) ?? '-').join('\u0000')}`;
    const remembered = known.costs.get(key);
    if (remembered !== undefined) return remembered;
    const cost = queryCost(schema, document, variables, operationName);
    if (known.costs.size >= perDocument) known.costs.delete(known.costs.keys().next().value as string);
    known.costs.set(key, cost);
    return cost;
  };
}
