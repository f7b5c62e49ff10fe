import { type FieldNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsAny, selectsAnyAt } from './selection.js';

/** The resolve info of the operation's first root field. */
function infoOf(query: string) {
  const doc = parse(query);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [operation?.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectsAnyAt', () => {
  it('finds a field at the path, not above or beside it', () => {
    const info = infoOf('{ products { nodes { name category { name } } } }');
    expect(selectsAnyAt(info, ['nodes'], ['category'])).toBe(true);
    expect(selectsAnyAt(info, ['edges', 'node'], ['category'])).toBe(false);
    expect(selectsAny(info, ['category'])).toBe(false);
    expect(selectsAny(info, ['nodes'])).toBe(true);
    expect(selectsAnyAt(infoOf('{ products { nodes { name } } }'), ['nodes'], ['category'])).toBe(false);
  });

  it('follows fragments and inline fragments at any depth', () => {
    const info = infoOf(`{ products { edges { ...E } } }
      fragment E on ProductEdge { node { ... on Product { ...C } } }
      fragment C on Product { category { id } }`);
    expect(selectsAnyAt(info, ['edges', 'node'], ['category'])).toBe(true);
    expect(selectsAnyAt(info, ['edges', 'node'], ['prices'])).toBe(false);
  });
});
