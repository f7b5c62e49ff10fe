import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import type { SubgraphTarget } from '@dcrm/kit/targets.js';
import { buildSchema, type GraphQLSchema, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PassedOperation } from '../src/context.js';
import { fastPathEnabled, plainRequest } from '../src/fast-path.js';
import { operationMemory } from '../src/fast-path-memory.js';

const sdl = 'type Query { a: Int }';
const storefront = buildSchema(sdl);
const staff = buildSchema(sdl);
const supergraph = () => buildSchema(sdl);

const passed = (schema: GraphQLSchema, on: GraphQLSchema, query = '{ a }'): PassedOperation => {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return { schema, document, operation, target: { name: 'catalog' } as SubgraphTarget, supergraph: on };
};

describe('operationMemory', () => {
  it('keeps an operation per view, text and operation name', () => {
    const on = supergraph();
    const memory = operationMemory();
    const entry = passed(storefront, on);
    memory.set(on, entry, '{ a }', undefined);
    expect(memory.get(on, storefront, '{ a }', undefined)).toBe(entry);
    expect(memory.get(on, staff, '{ a }', undefined)).toBeUndefined();
    expect(memory.get(on, storefront, '{ a }', 'A')).toBeUndefined();
    expect(memory.get(on, storefront, '{ a } ', undefined)).toBeUndefined();
  });

  it('forgets everything when the supergraph changes, and never takes an operation planned on another', () => {
    const first = supergraph();
    const next = supergraph();
    const memory = operationMemory();
    memory.set(first, passed(storefront, first), '{ a }', undefined);
    expect(memory.get(next, storefront, '{ a }', undefined)).toBeUndefined();
    expect(memory.size).toBe(0);
    expect(memory.get(first, storefront, '{ a }', undefined)).toBeUndefined();
    // Planned before the change, remembered after it: stale, not kept.
    memory.set(next, passed(storefront, first), '{ a }', undefined);
    expect(memory.get(next, storefront, '{ a }', undefined)).toBeUndefined();
    // No supergraph loaded: nothing is kept.
    memory.set(null, passed(storefront, first), '{ a }', undefined);
    expect(memory.size).toBe(0);
  });

  it('drops the least recently used beyond its text budget', () => {
    const on = supergraph();
    const memory = operationMemory(33);
    const texts = ['{ a }          ', '{ a }           ', '{ a }            '];
    memory.set(on, passed(storefront, on), texts[0], undefined);
    memory.set(on, passed(storefront, on), texts[1], undefined);
    // Used again: the second is now the oldest.
    expect(memory.get(on, storefront, texts[0], undefined)).toBeDefined();
    memory.set(on, passed(storefront, on), texts[2], undefined);
    expect(memory.get(on, storefront, texts[1], undefined)).toBeUndefined();
    expect(memory.get(on, storefront, texts[0], undefined)).toBeDefined();
    expect(memory.get(on, storefront, texts[2], undefined)).toBeDefined();
    expect(memory.size).toBe(2);
  });
});

describe('plainRequest', () => {
  const post = (body: unknown, headers: [string, string][] = [['content-type', 'application/json']]): HTTPGraphQLRequest => ({
    method: 'POST',
    headers: new HeaderMap(headers),
    search: '',
    body,
  });

  it('takes a JSON POST with query text, optional variables and operation name', () => {
    expect(plainRequest(post({ query: '{ a }' }))).toEqual({ query: '{ a }', variables: undefined, operationName: undefined });
    expect(plainRequest(post({ query: 'query A { a }', variables: { x: 1 }, operationName: 'A' }))).toEqual({
      query: 'query A { a }',
      variables: { x: 1 },
      operationName: 'A',
    });
    expect(plainRequest(post({ query: '{ a }', variables: null, operationName: null }))?.query).toBe('{ a }');
    expect(plainRequest(post({ query: '{ a }' }, [['content-type', 'Application/JSON; charset=utf-8']]))).not.toBeNull();
  });

  it('leaves everything else to Apollo', () => {
    const refused: HTTPGraphQLRequest[] = [
      { ...post({ query: '{ a }' }), method: 'GET' },
      post({ query: '{ a }' }, [['content-type', 'text/plain']]),
      post({ query: '{ a }' }, []),
      post('{"query":"{ a }"}'),
      post([{ query: '{ a }' }]),
      post({ query: { kind: 'Document' } }),
      post({ query: '{ a }', extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } }),
      post({ query: '{ a }', extensions: null }),
      post({ query: '{ a }', variables: '{"x":1}' }),
      post({ query: '{ a }', variables: [1] }),
      post({ query: '{ a }', operationName: '' }),
      post({ query: '{ a }', operationName: 3 }),
    ];
    for (const request of refused) expect(plainRequest(request), JSON.stringify(request.body)).toBeNull();
  });
});

describe('fastPathEnabled', () => {
  it('is on unless DCRM_FAST_PATH=off', () => {
    expect(fastPathEnabled({})).toBe(true);
    expect(fastPathEnabled({ DCRM_FAST_PATH: 'off' })).toBe(false);
  });
});
