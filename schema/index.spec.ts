import { describe, expect, it } from 'vitest';
import { loadSupergraph, subgraphNames } from './index.js';

describe('subgraphNames', () => {
  it('reads the join__Graph names of the committed supergraph', () => {
    expect(subgraphNames(loadSupergraph())).toEqual(['cart', 'catalog', 'customer', 'opportunity', 'promotion', 'quote', 'ticket']);
  });

  it('takes the name argument, not the enum value or the URL', () => {
    const sdl = `
      directive @join__graph(name: String!, url: String!) on ENUM_VALUE
      enum join__Graph {
        ORDER_HISTORY @join__graph(name: "order-history", url: "http://elsewhere/graphql")
        QUOTE @join__graph(url: "http://quote.invalid/graphql", name: "quote")
      }
      type Query { a: Int }`;
    expect(subgraphNames(sdl)).toEqual(['order-history', 'quote']);
  });

  it('refuses SDL that is not a supergraph', () => {
    expect(() => subgraphNames('type Query { a: Int }')).toThrow('no join__Graph');
    expect(() => subgraphNames('enum join__Graph { A }')).toThrow('join__Graph.A has no @join__graph(name:)');
  });
});
