import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { applyAccessDirectives } from './access.js';
import type { Principal } from './principal.js';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  directive @access(kinds: [String!], scopes: [String!]) on FIELD_DEFINITION | OBJECT
  directive @internal(scopes: [String!]!, holder: Boolean = false) on FIELD_DEFINITION
  directive @lookup(kinds: [String!], scopes: [String!]) repeatable on OBJECT
  type Query {
    account: Account
    open: String
    staffOnly: String @access(kinds: ["staff"])
    writer: String @access(kinds: ["staff"], scopes: ["catalog:write"])
    keyCheck: String @access(kinds: ["service"], scopes: ["apikey:verify"])
    secret: Secret
    ledger: Ledger
  }
  type Account {
    name: String
    notes: String @internal(scopes: ["customer:read"])
    address: String @internal(scopes: ["customer:read"], holder: true)
  }
  type Secret @key(fields: "id") @access(kinds: ["staff"]) {
    id: ID!
    value: String
  }
  type Ledger @key(fields: "id") @lookup(kinds: ["staff"], scopes: ["ledger:read"]) @lookup(kinds: ["service"]) {
    id: ID!
    total: String
  }
`);

const schema = applyAccessDirectives(
  buildSubgraphSchema([
    {
      typeDefs,
      resolvers: {
        Query: {
          open: () => 'open',
          staffOnly: () => 'staff',
          writer: () => 'written',
          keyCheck: () => 'checked',
          secret: () => ({ id: '1', value: 'v' }),
          ledger: () => ({ id: '1', total: '10' }),
          account: () => ({ name: 'n', notes: 'internal note', address: '1 Main St' }),
        },
        Secret: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, value: 'from reference' }) },
        Ledger: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, total: 'from reference' }) },
      } as never,
    },
  ]),
);

const as = (kind: Principal['kind'], scopes: string[] = []): Principal => ({
  kind,
  id: 'x',
  storefrontId: 's',
  partnerId: null,
  roles: [],
  scopes,
});
const asKey = (kind: Principal['kind'], scopes: string[]): Principal => ({ ...as(kind, scopes), roles: ['api-key'] });
const run = (source: string, principal: Principal) => graphql({ schema, source, contextValue: { principal } });
const codes = (result: Awaited<ReturnType<typeof run>>) => result.errors?.map((e) => e.extensions.code);

describe('@access', () => {
  it('leaves unannotated fields open', async () => {
    expect((await run('{ open }', as('anonymous'))).data).toEqual({ open: 'open' });
  });

  it('refuses other kinds: UNAUTHENTICATED for anonymous, FORBIDDEN for the signed-in', async () => {
    expect(codes(await run('{ staffOnly }', as('anonymous')))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await run('{ staffOnly }', as('customer')))).toEqual(['FORBIDDEN']);
    expect((await run('{ staffOnly }', as('staff'))).data).toEqual({ staffOnly: 'staff' });
  });

  it('requires every scope', async () => {
    expect(codes(await run('{ writer }', as('staff', ['catalog:read'])))).toEqual(['FORBIDDEN']);
    expect((await run('{ writer }', as('staff', ['catalog:write']))).data).toEqual({ writer: 'written' });
  });

  it('applies an object-level rule to its fields and to _entities lookups', async () => {
    expect(codes(await run('{ secret { value } }', as('customer')))).toContain('FORBIDDEN');
    const entities = '{ _entities(representations: [{ __typename: "Secret", id: "1" }]) { ... on Secret { value } } }';
    expect(codes(await run(entities, as('customer')))).toContain('FORBIDDEN');
    expect((await run(entities, as('staff'))).data).toEqual({ _entities: [{ value: 'from reference' }] });
  });

  it('holds service principals to the rules too: only fields naming service, only with their scopes', async () => {
    expect(codes(await run('{ staffOnly }', as('service', ['*'])))).toEqual(['FORBIDDEN']);
    expect(codes(await run('{ keyCheck }', as('service', ['message:send'])))).toEqual(['FORBIDDEN']);
    expect(codes(await run('{ keyCheck }', as('staff', ['apikey:verify'])))).toEqual(['FORBIDDEN']);
    expect((await run('{ keyCheck }', as('service', ['apikey:verify']))).data).toEqual({ keyCheck: 'checked' });
    const entities = '{ _entities(representations: [{ __typename: "Secret", id: "1" }]) { ... on Secret { value } } }';
    expect(codes(await run(entities, as('service', ['apikey:verify'])))).toContain('FORBIDDEN');
  });
});

describe('@lookup', () => {
  const entities = '{ _entities(representations: [{ __typename: "Ledger", id: "1" }]) { ... on Ledger { total } } }';

  it('resolves a lookup for a principal any one rule admits', async () => {
    const found = { data: { _entities: [{ total: 'from reference' }] } };
    expect(await run(entities, as('staff', ['ledger:read']))).toEqual(found);
    expect(await run(entities, as('service'))).toEqual(found);
  });

  it('answers null, without an error, to everyone else', async () => {
    for (const principal of [as('staff', ['catalog:read']), as('customer', ['ledger:read']), as('anonymous')]) {
      expect(await run(entities, principal)).toEqual({ data: { _entities: [null] } });
    }
  });

  it('leaves the fields of the type alone', async () => {
    expect((await run('{ ledger { total } }', as('customer'))).data).toEqual({ ledger: { total: '10' } });
  });
});

describe('@internal', () => {
  const query = '{ account { name notes address } }';
  const refusals = (result: Awaited<ReturnType<typeof run>>) => result.errors?.map((e) => [e.path?.join('.'), e.extensions.code]);

  it('resolves for staff holding the scope and for service calls', async () => {
    const full = { account: { name: 'n', notes: 'internal note', address: '1 Main St' } };
    expect(await run(query, as('staff', ['customer:read']))).toEqual({ data: full });
    expect(await run(query, as('staff', ['customer:*']))).toEqual({ data: full });
    expect(await run(query, as('service', ['*']))).toEqual({ data: full });
  });

  it('nulls the field with FORBIDDEN for staff without the scope, partners and keys', async () => {
    for (const principal of [as('staff', ['catalog:read']), as('partner', ['customer:read']), asKey('anonymous', ['customer:lookup'])]) {
      const result = await run(query, principal);
      expect(result.data).toEqual({ account: { name: 'n', notes: null, address: null } });
      expect(refusals(result)).toEqual([
        ['account.notes', 'FORBIDDEN'],
        ['account.address', 'FORBIDDEN'],
      ]);
    }
  });

  it('lets the account holder read `holder: true` fields only', async () => {
    const result = await run(query, as('customer'));
    expect(result.data).toEqual({ account: { name: 'n', notes: null, address: '1 Main St' } });
    expect(refusals(result)).toEqual([['account.notes', 'FORBIDDEN']]);
  });

  it('refuses to build a schema with a non-null internal field', () => {
    const sdl = parse(`
      directive @internal(scopes: [String!]!, holder: Boolean = false) on FIELD_DEFINITION
      type Query { notes: String! @internal(scopes: []) }
    `);
    expect(() => applyAccessDirectives(buildSubgraphSchema([{ typeDefs: sdl, resolvers: {} }]))).toThrow(/must be nullable/);
  });
});
