import { jwtSecret, principalFromClaims, signAccessToken } from '@dcrm/kit';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, customerId, KEYS, PRIVATE_KEYS, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * Internal fields (`@internal` in the customer SDL) through the router, per principal kind: interaction
 * notes and agents, addresses and NPS comments of one partner-managed account (Niamh, Connectify).
 * Outside staff's schema view an internal field does not exist (GRAPHQL_VALIDATION_FAILED), except the
 * holder's own (addresses, comments), which the storefront view has and the run-time rule refuses to others.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const NIAMH = customerId('connectify-one');

const FIELDS =
  'id addresses { city } interactions(first: 20) { nodes { channel notes staff { name } } } npsResponses { nodes { score comment } }';
/** FIELDS without the internal fields only staff may name. */
const HOLDER_FIELDS = 'id addresses { city } interactions(first: 20) { nodes { channel } } npsResponses { nodes { score comment } }';
/** FIELDS without any internal field. */
const PUBLIC_FIELDS = 'id interactions(first: 20) { nodes { channel } } npsResponses { nodes { score } }';
const byId = (gql: Gql) => gql(`query ($id: ID!) { customer(id: $id) { ${FIELDS} } }`, { id: NIAMH });

/** A staff token like `token` but with other scopes (no seeded staff lacks customer:read). */
async function withScopes(token: string, scopes: string[]): Promise<Gql> {
  const claims = decodeJwt(token);
  const principal = principalFromClaims(claims);
  if (!principal) throw new Error('no principal in the access token');
  const { token: narrowed } = await signAccessToken({ ...principal, scopes }, jwtSecret(), String(claims.sid));
  return client(stack.router.handler, undefined, { authorization: `Bearer ${narrowed}` });
}

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.customer = (await signIn(h, 'customerLogin', 'niamh@example.com', KEYS.volt)).gql;
  as.partnerUser = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.partnerKey = client(h, PRIVATE_KEYS.connectifyPartner);
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  const agent = await signIn(h, 'staffLogin', 'agent.consumer@volt.example');
  as.staff = agent.gql;
  // Everything the care group has except customer:read (lookup stays, so the account is still reachable).
  as.staffWithoutScope = await withScopes(agent.accessToken, ['customer:write', 'customer:lookup', 'interaction:write', 'nps:read']);
});
afterAll(() => stack.stop());

type Account = {
  addresses: { city: string }[] | null;
  interactions: { nodes: { channel: string; notes: string | null; staff: { name: string } | null }[] };
  npsResponses: { nodes: { score: number; comment: string | null }[] };
};

/** Which fields were refused (the last named segment of each FORBIDDEN path); fails on any other error. */
function refused(res: Response): string[] {
  for (const error of res.body.errors ?? []) expect(error.extensions?.code, error.message).toBe('FORBIDDEN');
  const names = (res.body.errors ?? []).map((e) => (e.path ?? []).filter((p) => typeof p === 'string').at(-1) as string);
  return [...new Set(names)].sort();
}

/** The fields a request named that the caller's schema view does not have (`Type.field`); fails on any other error or on data. */
function unknownFields(res: Response): string[] {
  expect(res.status).toBe(400);
  expect(res.body.data).toBeUndefined();
  const names = (res.body.errors ?? []).map((e) => {
    expect(e.extensions?.code, e.message).toBe('GRAPHQL_VALIDATION_FAILED');
    const [, field, type] = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(e.message) ?? [];
    return `${type}.${field}`;
  });
  return [...new Set(names)].sort();
}

function account(res: Response, field: 'customer' | 'customerByIdentity' = 'customer'): Account {
  const value = res.body.data?.[field] as Account | null | undefined;
  if (!value) throw new Error(`no account: ${JSON.stringify(res.body)}`);
  // The fixture must exercise every internal field.
  expect(value.interactions.nodes.length).toBeGreaterThan(0);
  expect(value.npsResponses.nodes.length).toBeGreaterThan(0);
  return value;
}

const allHidden = (a: Account) => {
  expect(a.addresses).toBeNull();
  expect(a.interactions.nodes.every((i) => i.notes === null && i.staff === null)).toBe(true);
  expect(a.npsResponses.nodes.every((r) => r.comment === null)).toBe(true);
  // What is not internal still arrives.
  expect(a.interactions.nodes.every((i) => typeof i.channel === 'string')).toBe(true);
  expect(a.npsResponses.nodes.every((r) => typeof r.score === 'number')).toBe(true);
};

describe('internal customer fields', () => {
  it('staff with customer:read read notes, agents, addresses and comments', async () => {
    const res = await byId(as.staff);
    expect(res.body.errors).toBeUndefined();
    const a = account(res);
    expect(Array.isArray(a.addresses)).toBe(true);
    expect(a.interactions.nodes.every((i) => typeof i.notes === 'string')).toBe(true);
    expect(a.interactions.nodes.some((i) => i.staff !== null)).toBe(true);
  });

  it('staff without customer:read get null and FORBIDDEN on each internal field', async () => {
    const res = await as.staffWithoutScope(`query ($email: String!) { customerByIdentity(email: $email) { ${FIELDS} } }`, {
      email: 'niamh@example.com',
    });
    expect(refused(res)).toEqual(['addresses', 'comment', 'notes', 'staff']);
    allHidden(account(res, 'customerByIdentity'));
  });

  it('a partner user and a partner key see their account but cannot even name its internal fields', async () => {
    for (const gql of [as.partnerUser, as.partnerKey]) {
      expect(unknownFields(await byId(gql))).toEqual([
        'Customer.addresses',
        'Interaction.notes',
        'Interaction.staff',
        'NpsResponse.comment',
      ]);
      const res = await gql(`query ($id: ID!) { customer(id: $id) { ${PUBLIC_FIELDS} } }`, { id: NIAMH });
      expect(res.body.errors).toBeUndefined();
      account(res);
    }
  });

  it('the chatbot key (customer:lookup) finds the account but none of its internal fields', async () => {
    const lookup = (fields: string) =>
      as.chatbot(`query ($email: String!) { customerByIdentity(email: $email) { ${fields} } }`, { email: 'niamh@example.com' });
    expect(unknownFields(await lookup(FIELDS))).toEqual(['Interaction.notes', 'Interaction.staff']);
    // The holder's fields are in the storefront view; the chatbot is not their holder.
    const res = await lookup(HOLDER_FIELDS);
    expect(refused(res)).toEqual(['addresses', 'comment']);
    const a = account(res, 'customerByIdentity');
    expect(a.addresses).toBeNull();
    expect(a.npsResponses.nodes.every((r) => r.comment === null)).toBe(true);
  });

  it('how an offer was targeted (its campaign) is for staff with promotion:read only', async () => {
    const manager = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    const made = await manager.gql(
      'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code } } }',
      { input: { customerId: NIAMH, template: { title: 'Field access', message: 'Just for you' } } },
    );
    const id = made.body.data?.offerCreate.offer.id as string;
    const read = (gql: Gql) => gql('query ($id: ID!) { offer(id: $id) { id campaign { name } } }', { id });
    const staff = await read(manager.gql);
    expect(staff.body).toMatchObject({ data: { offer: { id, campaign: null } } });
    expect(staff.body.errors).toBeUndefined();
    for (const gql of [as.customer, as.partnerUser]) expect(unknownFields(await read(gql))).toEqual(['Offer.campaign']);
  });

  it('the customer reads their own addresses and comments, never internal notes or agents', async () => {
    expect(unknownFields(await as.customer(`{ me { ${FIELDS} } }`))).toEqual(['Interaction.notes', 'Interaction.staff']);
    const res = await as.customer(`{ me { ${HOLDER_FIELDS} } }`);
    expect(res.body.errors).toBeUndefined();
    const a = res.body.data?.me as Account;
    expect(Array.isArray(a.addresses)).toBe(true);
    expect(a.npsResponses.nodes.length).toBeGreaterThan(0);
  });
});
