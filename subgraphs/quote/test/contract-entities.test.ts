import { type BootedSubgraph, type Principal, seedId } from '@dcrm/kit';
import { bootForTest, codes, gql, principals } from '@dcrm/kit/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { quoteSubgraph } from '../src/index.js';

/** Contracts through the quote subgraph's own handler: unsigned requests and `_entities` row rules. */
let quote: BootedSubgraph;
const VOLT = seedId('storefront', 'volt');
const contract = (key: string) => seedId('contract', key);
const QUERY = 'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Contract { id status } } }';
const reps = (...keys: string[]) => keys.map((k) => ({ __typename: 'Contract', id: contract(k) }));
const staff = (scopes: string[], segments = ['*']): Principal => ({
  ...principals.staff(VOLT, scopes),
  roles: segments.map((s) => `segment:${s}`),
});
const lookup = async (principal: Principal, ...keys: string[]) =>
  ((await gql(quote, principal, QUERY, { reps: reps(...keys) })).body.data?._entities ?? []).map(
    (e: { id: string } | null) => e?.id ?? null,
  );

beforeAll(async () => {
  quote = await bootForTest(quoteSubgraph, inject('databaseUrl'));
});
afterAll(async () => {
  await quote.server.stop();
  await quote.orm.close();
});

describe('contracts by reference', () => {
  it('refuse unsigned requests', async () => {
    const result = await gql(quote, null, QUERY, { reps: reps('aoife-1') });
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it("resolve a customer's own contracts only", async () => {
    expect(await lookup(principals.customer(seedId('customer', 'aoife'), VOLT), 'aoife-1', 'acme-1')).toEqual([contract('aoife-1'), null]);
  });

  it('resolve for staff with contract:read within their segments and brand, null otherwise', async () => {
    expect(await lookup(staff(['contract:read']), 'aoife-1', 'oliver-1')).toEqual([contract('aoife-1'), null]);
    expect(await lookup(staff(['contract:read'], ['smb']), 'aoife-1', 'acme-1')).toEqual([null, contract('acme-1')]);
    expect(await lookup(staff(['quote:read']), 'aoife-1')).toEqual([null]);
  });
});
