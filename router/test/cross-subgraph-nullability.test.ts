import { loadSupergraph } from '@dcrm/schema';
import { type FieldDefinitionNode, Kind, type ObjectTypeDefinitionNode, parse, type TypeNode, type ValueNode } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * A subgraph down must take only its own fields with it: every field that crosses a subgraph is
 * nullable, so its failure nulls that field and not its parent (or the whole response). Crossing:
 * a field one graph adds to another graph's entity (`Customer.offers`), or a field whose entity type
 * another graph resolves (`Order.customer`).
 */
const stringArg = (node: { arguments?: readonly { name: { value: string }; value: ValueNode }[] }, name: string) => {
  const value = node.arguments?.find((a) => a.name.value === name)?.value;
  return value && (value.kind === Kind.ENUM || value.kind === Kind.STRING) ? value.value : null;
};
const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

function crossingFields(): string[] {
  const types = parse(loadSupergraph()).definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION);
  const graphsOf = (t: ObjectTypeDefinitionNode) =>
    (t.directives ?? [])
      .filter((d) => d.name.value === 'join__type')
      .map((d) => ({ graph: stringArg(d, 'graph'), key: stringArg(d, 'key') }));
  const fieldGraphs = (t: ObjectTypeDefinitionNode, f: FieldDefinitionNode) => {
    const own = (f.directives ?? []).filter((d) => d.name.value === 'join__field' && stringArg(d, 'external') !== 'true');
    return own.length ? own.map((d) => stringArg(d, 'graph')) : graphsOf(t).map((g) => g.graph);
  };
  // The owner of an entity: the graph that resolves most of its fields.
  const owners = new Map<string, string | null>();
  for (const t of types) {
    if (!graphsOf(t).some((g) => g.key)) continue;
    const counts = new Map<string | null, number>();
    for (const f of t.fields ?? []) for (const g of fieldGraphs(t, f)) counts.set(g, (counts.get(g) ?? 0) + 1);
    owners.set(t.name.value, [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null);
  }
  const crossing: string[] = [];
  for (const t of types) {
    if (['Query', 'Mutation', 'Subscription'].includes(t.name.value)) continue;
    for (const f of t.fields ?? []) {
      const graphs = fieldGraphs(t, f);
      const added = owners.has(t.name.value) && !graphs.includes(owners.get(t.name.value) ?? null);
      const target = owners.get(namedType(f.type));
      const resolvedElsewhere = target !== undefined && !graphs.includes(target);
      if (added || resolvedElsewhere) crossing.push(`${t.name.value}.${f.name.value}${f.type.kind === Kind.NON_NULL_TYPE ? '!' : ''}`);
    }
  }
  return crossing;
}

describe('fields that cross subgraphs', () => {
  it('are found (the check is not vacuous)', () => {
    expect(crossingFields().map((f) => f.replace(/!$/, ''))).toEqual(
      expect.arrayContaining(['Customer.offers', 'Product.offers', 'Customer.carts', 'Order.customer']),
    );
  });

  it('are all nullable', () => {
    expect(crossingFields().filter((f) => f.endsWith('!'))).toEqual([]);
  });
});
