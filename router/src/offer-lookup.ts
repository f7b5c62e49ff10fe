import {
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  print,
  type SelectionSetNode,
  visit,
} from 'graphql';

/** The lookup query's own variable: the offer of the event. Clients may not declare it. */
export const OFFER_VARIABLE = '__offerId';

/**
 * Which query field an event is looked up with. `byEvent`: its `id` is the event's key (`$__offerId`);
 * otherwise the subscription field's own arguments are kept (`bulkOperationProgress(id:)` → `bulkOperation(id:)`).
 */
export type LookupTarget = { field: string; byEvent: boolean };

export const OFFER_TARGET: LookupTarget = { field: 'offer', byEvent: true };

/**
 * `query <Name>($__offerId: ID!, …client variables) { <key>: offer(id: $__offerId) { …selection… } }`
 * with the fragments the selection uses: one text per subscription, so the query plan is cached.
 */
export function lookupQuery(
  document: DocumentNode,
  name: string | undefined,
  variableDefinitions: OperationDefinitionNode['variableDefinitions'] & object,
  field: FieldNode,
  target: LookupTarget = OFFER_TARGET,
  /** The operation's `@inContext`, kept so each lookup runs in the subscription's language and country. */
  directives: readonly DirectiveNode[] = [],
): string {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const used = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) =>
    visit(selectionSet, {
      FragmentSpread(spread) {
        if (used.has(spread.name.value)) return;
        used.add(spread.name.value);
        const fragment = fragments.get(spread.name.value);
        if (fragment) collect(fragment.selectionSet);
      },
    });
  collect(field.selectionSet as SelectionSetNode);
  const offerVariable = { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: OFFER_VARIABLE } } as const;
  const lookup: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        ...(name ? { name: { kind: Kind.NAME, value: name } } : {}),
        directives,
        variableDefinitions: [
          ...(target.byEvent
            ? [
                {
                  kind: Kind.VARIABLE_DEFINITION,
                  variable: offerVariable,
                  type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
                } as const,
              ]
            : []),
          ...variableDefinitions,
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              alias: { kind: Kind.NAME, value: field.alias?.value ?? field.name.value },
              name: { kind: Kind.NAME, value: target.field },
              arguments: target.byEvent
                ? [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'id' }, value: offerVariable }]
                : field.arguments,
              selectionSet: field.selectionSet,
            },
          ],
        },
      },
      ...[...fragments.values()].filter((f) => used.has(f.name.value)),
    ],
  };
  return print(lookup);
}
