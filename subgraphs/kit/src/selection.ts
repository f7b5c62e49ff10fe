import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

type Info = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/**
 * Whether the field being resolved selects any of `names` as a direct sub-field (through fragments too).
 * Lets a resolver read in one statement what its sub-fields would otherwise load one statement each.
 * `@skip`/`@include` are not evaluated: a field they drop still counts as selected (more read, never less).
 */
export function selectsAny(info: Info, names: readonly string[]): boolean {
  return selectsAnyAt(info, [], names);
}

/**
 * The same, `path` below the field: `selectsAnyAt(info, ['nodes'], ['category'])` for `products { nodes { category } }`.
 */
export function selectsAnyAt(info: Info, path: readonly string[], names: readonly string[]): boolean {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, depth: number): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === 'Field') {
        if (depth === path.length) return names.includes(s.name.value);
        return s.name.value === path[depth] && visit(s.selectionSet, depth + 1);
      }
      if (s.kind === 'InlineFragment') return visit(s.selectionSet, depth);
      const key = `${depth}:${s.name.value}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return visit(info.fragments[s.name.value]?.selectionSet, depth);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet, 0));
}
