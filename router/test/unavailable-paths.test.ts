import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { unavailableFieldPaths } from '../src/unavailable-paths.js';

describe('unavailableFieldPaths (where a down subgraph fetch would have written)', () => {
  it('names each root field of a root fetch, aliases included', () => {
    const doc = parse('query Q { offers: storefrontLiveOffers { id } campaign(id: "x") { id } __typename }');
    expect(unavailableFieldPaths(doc, null)).toEqual([['offers'], ['campaign']]);
  });

  it('names each entity field per representation, only those of its type', () => {
    const doc = parse(`query Q($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Customer { offers { id } } ... on Product { ...P } } } fragment P on Product { offers { id } rank: id }`);
    const reps = [{ __typename: 'Customer' }, { __typename: 'Product' }];
    expect(unavailableFieldPaths(doc, reps)).toEqual([
      ['_entities', 0, 'offers'],
      ['_entities', 1, 'offers'],
      ['_entities', 1, 'rank'],
    ]);
  });

  it('caps the number of errors', () => {
    const doc = parse(
      'query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { offers { id } } } }',
    );
    const reps = Array.from({ length: 500 }, () => ({ __typename: 'Product' }));
    expect(unavailableFieldPaths(doc, reps, 100)).toHaveLength(100);
  });
});
