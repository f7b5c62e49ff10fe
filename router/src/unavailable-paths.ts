import { type DocumentNode, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * The response names a selection fills at its top level for an object of `typename` (null: any), through
 * inline and named fragments whose type condition matches.
 */
function responseNames(
  selectionSet: SelectionSetNode,
  document: DocumentNode,
  typename: string | null,
  into = new Set<string>(),
): Set<string> {
  const applies = (condition?: { name: { value: string } }) => !condition || typename === null || condition.name.value === typename;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') into.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(selection.typeCondition)) responseNames(selection.selectionSet, document, typename, into);
    } else {
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION && applies(fragment.typeCondition))
        responseNames(fragment.selectionSet, document, typename, into);
    }
  }
  return into;
}

/**
 * Where the fields of one gateway fetch land, as subgraph-response paths: `[field]` for a root fetch,
 * `['_entities', i, field]` for each representation of an entity fetch (the gateway maps those onto the
 * client's paths). Capped, so a page of 100 entities does not carry thousands of errors.
 */
export function unavailableFieldPaths(
  document: DocumentNode,
  representations: readonly { __typename?: unknown }[] | null,
  cap = 100,
): (string | number)[][] {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [];
  if (representations === null) return [...responseNames(operation.selectionSet, document, null)].map((name) => [name]);
  const entities = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  if (entities?.kind !== Kind.FIELD || !entities.selectionSet) return [];
  const { selectionSet } = entities;
  const paths = representations.flatMap((representation, i) => {
    const typename = typeof representation?.__typename === 'string' ? representation.__typename : null;
    return [...responseNames(selectionSet, document, typename)].map((field) => ['_entities', i, field]);
  });
  return paths.slice(0, cap);
}
