import type { BootedSubgraph, Principal } from '@dcrm/kit';
import { bootForTest, codes, gql, principals } from '@dcrm/kit/testing';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { customerSubgraph } from '../src/index.js';
import { customerId, partnerId, staffId, storefrontId } from '../src/seed/index.js';

const VOLT = storefrontId('volt');
const NIMBUS = storefrontId('nimbus');
// Seeded accounts (see seed/demo.ts): Aoife in Volt's consumer segment, Oliver in Nimbus's.
const AOIFE = customerId('aoife');
const OLIVER = customerId('oliver');
const CONNECTIFY_ONE = customerId('connectify-one');

/** Staff of a storefront who see the given segments (`*`: all), as their sign-in would carry them. */
const staffOf = (storefront: string, segments: string[]): Principal => ({
  ...principals.staff(storefront, ['customer:read']),
  roles: segments.map((s) => `segment:${s}`),
});
const partner = (key: string): Principal => ({
  kind: 'partner',
  id: `user-of-${key}`,
  storefrontId: VOLT,
  partnerId: partnerId(key),
  roles: [],
  scopes: [],
});

/** The promotion subgraph's service principal: the only caller the audience fields admit. */
const promotion: Principal = {
  kind: 'service',
  id: 'promotion',
  storefrontId: VOLT,
  partnerId: null,
  roles: [],
  scopes: ['customer:audience'],
};

let customer: BootedSubgraph;
beforeAll(async () => {
  customer = await bootForTest(customerSubgraph, inject('databaseUrl'));
});
afterAll(async () => {
  await customer.server.stop();
  await customer.orm.close();
});

describe('requests that did not come through the router', () => {
  it.each([
    ['a query', `{ customer(id: "${AOIFE}") { name } }`],
    ['_service', '{ _service { sdl } }'],
    ['_entities', `{ _entities(representations: [{ __typename: "Customer", id: "${AOIFE}" }]) { ... on Customer { name } } }`],
  ])('%s without a principal is 401', async (_, query) => {
    const result = await gql(customer, null, query);
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.body.data ?? null).toBeNull();
  });
});

describe('_entities', () => {
  const lookup = async (principal: Principal, typename: string, ids: string[], selection = 'id') => {
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${typename} { ${selection} } } }`;
    const result = await gql(customer, principal, query, { reps: ids.map((id) => ({ __typename: typename, id })) });
    expect(codes(result)).toEqual([]);
    return result.body.data?._entities;
  };

  it('customers: the caller’s own account, null for another’s and for another brand’s', async () => {
    expect(await lookup(principals.customer(AOIFE, VOLT), 'Customer', [AOIFE, OLIVER, CONNECTIFY_ONE], 'id name')).toEqual([
      { id: AOIFE, name: 'Aoife Byrne' },
      null,
      null,
    ]);
    expect(await lookup(staffOf(VOLT, ['consumer']), 'Customer', [AOIFE, OLIVER])).toEqual([{ id: AOIFE }, null]);
    expect(await lookup(staffOf(NIMBUS, ['*']), 'Customer', [AOIFE, OLIVER])).toEqual([null, { id: OLIVER }]);
    expect(await lookup(partner('connectify'), 'Customer', [AOIFE, CONNECTIFY_ONE])).toEqual([null, { id: CONNECTIFY_ONE }]);
    expect(await lookup(partner('skyline'), 'Customer', [CONNECTIFY_ONE])).toEqual([null]);
  });

  it('ancestors: every account above, nearest first, for any number of accounts in a fixed number of statements', async () => {
    const [acme, cork, warehouse] = ['acme-telecom-buyers', 'acme-cork', 'acme-cork-warehouse'].map(customerId);
    const service: Principal = { kind: 'service', id: 'cart', storefrontId: VOLT, partnerId: null, roles: [], scopes: [] };
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { id ancestors { id } } } }`;
    const ask = (ids: string[]) => gql(customer, service, query, { reps: ids.map((id) => ({ __typename: 'Customer', id })) });
    const one = await ask([warehouse as string]);
    expect(one.body.data?._entities).toEqual([{ id: warehouse, ancestors: [{ id: cork }, { id: acme }] }]);
    const three = await ask([warehouse, cork, acme] as string[]);
    expect(three.body.data?._entities.map((c: { ancestors: { id: string }[] }) => c.ancestors.length)).toEqual([2, 1, 0]);
    expect(three.statements).toBeLessThanOrEqual(one.statements);
    // A holder in between sees the accounts above as far as its own; another brand's service sees none.
    const corkHolder = principals.customer(cork as string, VOLT, ['account-admin']);
    const held = await gql(customer, corkHolder, query, { reps: [{ __typename: 'Customer', id: warehouse }] });
    expect(held.body.data?._entities).toEqual([{ id: warehouse, ancestors: [{ id: cork }] }]);
    const nimbus = await gql(customer, { ...service, storefrontId: NIMBUS }, query, { reps: [{ __typename: 'Customer', id: warehouse }] });
    expect(nimbus.body.data?._entities).toEqual([null]);
  });

  it('staff: for staff of the same storefront only', async () => {
    const ids = [staffId('volt-consumer'), staffId('nimbus-agent')];
    expect(await lookup(staffOf(VOLT, []), 'Staff', ids, 'id name')).toEqual([{ id: ids[0], name: 'Liam Ryan' }, null]);
    expect(await lookup(staffOf(NIMBUS, []), 'Staff', ids)).toEqual([null, { id: ids[1] }]);
    expect(await lookup(principals.customer(AOIFE, VOLT), 'Staff', ids)).toEqual([null, null]);
  });

  it('partners: for staff of their storefront and for the partner itself', async () => {
    const ids = [partnerId('connectify'), partnerId('skyline')];
    expect(await lookup(staffOf(VOLT, []), 'Partner', ids)).toEqual([{ id: ids[0] }, { id: ids[1] }]);
    expect(await lookup(partner('connectify'), 'Partner', ids, 'id name')).toEqual([{ id: ids[0], name: 'Connectify Resellers' }, null]);
    expect(await lookup(staffOf(NIMBUS, ['*']), 'Partner', ids)).toEqual([null, null]);
    expect(await lookup(principals.customer(AOIFE, VOLT), 'Partner', ids)).toEqual([null, null]);
  });
});

describe('customer(id)', () => {
  const query = 'query ($id: ID!) { customer(id: $id) { id name segment partner { id } } }';

  it('answers staff of the account’s segment', async () => {
    const result = await gql(customer, staffOf(VOLT, ['consumer']), query, { id: CONNECTIFY_ONE });
    expect(result.body.data?.customer).toEqual({
      id: CONNECTIFY_ONE,
      name: expect.any(String),
      segment: 'consumer',
      partner: { id: partnerId('connectify') },
    });
  });

  it('is NOT_FOUND outside the caller’s segments or brand, and refused to shoppers', async () => {
    expect(codes(await gql(customer, staffOf(VOLT, ['smb']), query, { id: AOIFE }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(customer, staffOf(NIMBUS, ['*']), query, { id: AOIFE }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(customer, principals.shopper(VOLT), query, { id: AOIFE }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('customers', () => {
  it('searches the accounts the caller may see by name or email start', async () => {
    const query = 'query ($q: String) { customers(first: 5, query: $q) { nodes { id } } }';
    const ids = async (principal: Principal, q: string) =>
      (await gql(customer, principal, query, { q })).body.data?.customers.nodes.map((n: { id: string }) => n.id);
    expect(await ids(staffOf(VOLT, ['consumer']), 'Aoife B')).toEqual([AOIFE]);
    expect(await ids(staffOf(VOLT, ['consumer']), 'AOIFE@example')).toEqual([AOIFE]);
    expect(await ids(staffOf(VOLT, ['smb']), 'aoife')).toEqual([]);
    expect(await ids(staffOf(VOLT, ['consumer']), '%')).toEqual(await ids(staffOf(VOLT, ['consumer']), ''));
  });
});

describe('customerAudience (promotion only)', () => {
  it('reads the consents only when asked, and then as each account gave them', async () => {
    const ask = async (fields: string) => {
      const execute = vi.spyOn(customer.orm.em.getConnection(), 'execute');
      try {
        const answer = await gql(customer, promotion, `{ customerAudience(rules: {}, first: 5000) { ${fields} } }`);
        expect(answer.body.errors).toBeUndefined();
        const texts = execute.mock.calls.map((call) => String(call[0]));
        return { members: answer.body.data?.customerAudience as Record<string, unknown>[], texts };
      } finally {
        execute.mockRestore();
      }
    };
    // Other test files register Volt customers in the same database meanwhile: the answer is compared on
    // the accounts that were there, unchanged, before and after it.
    const accounts = async () => {
      const rows = (await customer.orm.em
        .fork()
        .getConnection()
        .execute(`select id, consents from "customer"."customer" where storefront_id = ? and status = 'ACTIVE'`, [VOLT])) as {
        id: string;
        consents: { channel: string; granted: boolean }[];
      }[];
      const granted = (r: (typeof rows)[number], channel: string) => r.consents.some((c) => c.channel === channel && c.granted);
      return new Map(rows.map((r) => [r.id, { id: r.id, emailConsent: granted(r, 'EMAIL'), smsConsent: granted(r, 'SMS') }]));
    };
    const answered = async (fields: string) => {
      const before = await accounts();
      const answer = await ask(fields);
      const after = await accounts();
      // A page of at most 5,000 (the shared database may hold more): every member is an account of the brand.
      const sizes = [before.size, after.size].map((n) => Math.min(5000, n));
      expect(answer.members.length).toBeGreaterThanOrEqual(Math.min(...sizes));
      expect(answer.members.length).toBeLessThanOrEqual(Math.max(...sizes));
      for (const member of answer.members) expect(before.has(member.id as string) || after.has(member.id as string)).toBe(true);
      const stable = answer.members.flatMap((m) => {
        const account = before.get(m.id as string);
        return account && JSON.stringify(after.get(account.id)) === JSON.stringify(account) ? [account] : [];
      });
      expect(stable.length).toBeGreaterThan(0);
      return { ...answer, stable, byId: new Map(answer.members.map((m) => [m.id, m])) };
    };
    const asked = await answered('id emailConsent smsConsent');
    for (const account of asked.stable) expect(asked.byId.get(account.id)).toEqual(account);
    expect(asked.members.some((m) => m.emailConsent)).toBe(true);
    expect(asked.texts.some((t) => t.includes('c.consents'))).toBe(true);
    const unasked = await answered('id name');
    expect(unasked.texts.some((t) => t.includes('"customer"."customer" c'))).toBe(true);
    expect(unasked.texts.some((t) => t.includes('c.consents'))).toBe(false);
  });
});

describe('customerAudienceRanges (promotion only)', () => {
  const query = 'query ($size: Int) { customerAudienceRanges(rules: {}, size: $size) }';

  it('cuts the audience into ranges, and refuses a range size outside 1 to 10,000 rather than clamping it', async () => {
    const ranges = await gql(customer, promotion, query, { size: 10_000 });
    expect(ranges.body.errors).toBeUndefined();
    expect(ranges.body.data?.customerAudienceRanges.length).toBeGreaterThan(0);
    for (const size of [0, 10_001]) {
      const refused = await gql(customer, promotion, query, { size });
      expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.body.errors?.[0].message).toMatch(/10000/);
    }
  });
});
