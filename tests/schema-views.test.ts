import type { AddressInfo } from 'node:net';
import type { Audience } from '@dcrm/kit';
import { loadView } from '@dcrm/schema';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { connectLive, type LiveClient, refusalCode, subscribeLive } from './support/live.js';
import { client, customerId, KEYS, PRIVATE_KEYS, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * Each audience is served its own view of the schema (schema/views/<audience>.graphql): introspection
 * shows it, validation uses it. A field outside the caller's view is a field that does not exist.
 * Service principals (the whole API) never come through HTTP: router/test/views.test.ts covers them.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<'storefront' | 'customer' | 'partner' | 'partnerKey' | 'staff', Gql> = {} as never;
let headers: Record<'partner' | 'staff', Record<string, string>>;
const NIAMH = customerId('connectify-one');

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.storefront = client(h, KEYS.volt);
  as.customer = (await signIn(h, 'customerLogin', 'niamh@example.com', KEYS.volt)).gql;
  const partner = await signIn(h, 'partnerLogin', 'ops@connectify.example');
  as.partner = partner.gql;
  as.partnerKey = client(h, PRIVATE_KEYS.connectifyPartner);
  const staff = await signIn(h, 'staffLogin', 'agent.consumer@volt.example');
  as.staff = staff.gql;
  headers = { partner: { authorization: `Bearer ${partner.accessToken}` }, staff: { authorization: `Bearer ${staff.accessToken}` } };
});
afterAll(() => stack.stop());

const sorted = (sdl: string) => printSchema(lexicographicSortSchema(buildSchema(sdl)));

async function introspected(gql: Gql): Promise<string> {
  const res = await gql(getIntrospectionQuery());
  expect(res.body.errors).toBeUndefined();
  return printSchema(lexicographicSortSchema(buildClientSchema(res.body.data as unknown as IntrospectionQuery)));
}

const hasField = async (gql: Gql, type: string, field: string) => {
  const res = await gql('query ($type: String!) { __type(name: $type) { fields { name } } }', { type });
  return ((res.body.data?.__type?.fields ?? []) as { name: string }[]).some((f) => f.name === field);
};

describe('introspection', () => {
  const cases: [keyof typeof as, Audience][] = [
    ['storefront', 'storefront'],
    ['customer', 'storefront'],
    ['partner', 'partner'],
    ['partnerKey', 'partner'],
    ['staff', 'staff'],
  ];
  it.each(cases)('as %s lists exactly the %s view', async (caller, audience) => {
    expect(await introspected(as[caller])).toBe(sorted(loadView(audience)));
  });

  it('staff-only and internal fields are absent for partners and storefronts, present for staff', async () => {
    for (const [type, field] of [
      ['Query', 'staffMe'],
      ['Query', 'campaigns'],
      ['Interaction', 'notes'],
    ]) {
      expect(await hasField(as.staff, type, field)).toBe(true);
      for (const caller of [as.partner, as.partnerKey, as.storefront, as.customer]) expect(await hasField(caller, type, field)).toBe(false);
    }
    // An @internal field readable by its holder is in the storefront view (customers), not the partner's.
    expect(await hasField(as.customer, 'Customer', 'addresses')).toBe(true);
    expect(await hasField(as.partner, 'Customer', 'addresses')).toBe(false);
    // Service-only fields are in no view.
    for (const caller of [as.staff, as.partner, as.storefront]) expect(await hasField(caller, 'Mutation', 'siteMessageSend')).toBe(false);
  });

  it('introspection next to data answers from the view too', async () => {
    const query = '{ __type(name: "Campaign") { name } storefront { name } }';
    const partner = await as.partnerKey(query);
    expect(partner.body.errors).toBeUndefined();
    expect(partner.body.data).toEqual({ __type: null, storefront: { name: expect.any(String) } });
    const staff = await as.staff(query);
    expect(staff.body.data).toEqual({ __type: { name: 'Campaign' }, storefront: { name: expect.any(String) } });
  });
});

describe('validation', () => {
  const notes = (field: string) => `query ($id: ID!) { customer(id: $id) { interactions(first: 5) { nodes { channel ${field} } } } }`;

  it('a partner naming an internal field gets the error of a field that does not exist', async () => {
    for (const caller of [as.partner, as.partnerKey]) {
      const internal = await caller(notes('notes'), { id: NIAMH });
      const missing = await caller(notes('nonesuch'), { id: NIAMH });
      for (const res of [internal, missing]) {
        expect(res.status).toBe(400);
        expect(res.body.data).toBeUndefined();
        expect(res.body.errors).toHaveLength(1);
      }
      expect(internal.body.errors?.[0]).toEqual({
        message: 'Cannot query field "notes" on type "Interaction".',
        locations: [expect.any(Object)],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      expect(missing.body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      // Suggestions come from the view: a near miss does not reveal the hidden name.
      const near = await caller(notes('note'), { id: NIAMH });
      expect(near.body.errors?.[0]?.message).toBe('Cannot query field "note" on type "Interaction".');
    }
  });

  it('staff can run it, and get the suggestion', async () => {
    const res = await as.staff(notes('notes'), { id: NIAMH });
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data?.customer.interactions.nodes as { notes: string | null }[];
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => typeof n.notes === 'string')).toBe(true);
    const near = await as.staff(notes('note'), { id: NIAMH });
    expect(near.body.errors?.[0]?.message).toContain('Did you mean "notes"?');
  });

  it('a storefront key cannot name staff mutations; staff without the scope are refused at run time', async () => {
    const create = 'mutation { campaignCancel(input: { id: "x", version: 1, reason: "test" }) { userErrors { code } } }';
    const res = await as.storefront(create);
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    // The care agent has no promotion:write: the field is in the staff view, the rule refuses it.
    expect((await as.staff(create)).body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('subscriptions', () => {
  let url: string;
  const opened: LiveClient[] = [];
  beforeAll(async () => {
    const server = await stack.router.listen(0, '127.0.0.1');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.dispose()));
  });
  const refusal = async (params: Record<string, string>, query: string) => {
    const live = connectLive(url, params);
    opened.push(live);
    const sub = subscribeLive(live, query);
    await sub.until(() => sub.completed);
    return refusalCode(sub);
  };

  it('validate against the subscriber’s view', async () => {
    // Personal offers are not in the partner view at all; staff see the field and are refused it.
    expect(await refusal(headers.partner, 'subscription { offerReceived { id } }')).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await refusal(headers.staff, 'subscription { offerReceived { id } }')).toBe('FORBIDDEN');
    expect(await refusal(headers.partner, 'subscription { storefrontOffers { id campaign { name } } }')).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
