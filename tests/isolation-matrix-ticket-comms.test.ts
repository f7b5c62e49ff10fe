import { internalSecret, PRINCIPAL_HEADER, type Principal, seedId, signPrincipal } from '@dcrm/kit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { replyTokenFor } from '../subgraphs/ticket/src/domain/reply-token.js';
import { codes, customerId, distinctCodes, KEYS, type Response, STOREFRONT_IDS, signIn, startTestStack } from './support/stack.js';

/**
 * Tickets across a business hierarchy, through the router: a business account's holder reads its
 * sub-accounts' tickets (`tickets`, `ticket(id)`, `Customer.tickets`, `Customer.outstandingIssues`);
 * a sub-account never reads its parent's, another business neither; writes stay with each account.
 * And `ticketReplyReceive` (email/SMS replies): the inbound gateway's only, never a client's.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const ID = { acme: customerId('acme-telecom-buyers'), acmeCork: customerId('acme-cork') };
const ticketOf: Record<string, string> = {};

const CREATE = `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ticket { id } userErrors { code } } }`;
const raise = async (gql: Gql, subject: string) => {
  const res = await gql(CREATE, { input: { category: 'OTHER', subject, description: 'Hierarchy test' } });
  expect(res.body.data?.ticketCreate.userErrors, JSON.stringify(res.body)).toEqual([]);
  return res.body.data?.ticketCreate.ticket.id as string;
};

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.acme = (await signIn(h, 'customerLogin', 'it@acme.example', KEYS.volt)).gql;
  as.acmeCork = (await signIn(h, 'customerLogin', 'cork@acme.example', KEYS.volt)).gql;
  as.globex = (await signIn(h, 'customerLogin', 'telecoms@globex.example', KEYS.volt)).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  ticketOf.acme = await raise(as.acme, 'Holder ticket');
  ticketOf.acmeCork = await raise(as.acmeCork, 'Cork office ticket');
});
afterAll(() => stack.stop());

const listed = async (gql: Gql) =>
  (((await gql('{ tickets(first: 100) { nodes { id } } }')).body.data?.tickets.nodes ?? []) as { id: string }[]).map((n) => n.id);
const byId = async (gql: Gql, id: string) => {
  const res = await gql('query ($id: ID!) { ticket(id: $id) { id } }', { id });
  return res.body.data?.ticket?.id === id ? 'seen' : codes(res).join(',');
};

describe("a business account's holder and its sub-accounts' tickets", () => {
  it("the holder sees a descendant's ticket in tickets, ticket(id) and Customer.tickets", async () => {
    expect(await listed(as.acme)).toEqual(expect.arrayContaining([ticketOf.acme, ticketOf.acmeCork]));
    expect(await byId(as.acme, ticketOf.acmeCork)).toBe('seen');
    const res = await as.acme('query ($id: ID!) { customer(id: $id) { tickets { nodes { id } } outstandingIssues { openCount } } }', {
      id: ID.acmeCork,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.customer.tickets.nodes.map((t: { id: string }) => t.id)).toContain(ticketOf.acmeCork);
    expect(res.body.data?.customer.outstandingIssues.openCount).toBeGreaterThan(0);
  });

  it("a descendant does not see the holder's ticket", async () => {
    expect(await listed(as.acmeCork)).toContain(ticketOf.acmeCork);
    expect(await listed(as.acmeCork)).not.toContain(ticketOf.acme);
    expect(await byId(as.acmeCork, ticketOf.acme)).toBe('NOT_FOUND');
  });

  it('another business sees neither', async () => {
    const globex = await listed(as.globex);
    expect(globex).not.toContain(ticketOf.acme);
    expect(globex).not.toContain(ticketOf.acmeCork);
    expect(await byId(as.globex, ticketOf.acmeCork)).toBe('NOT_FOUND');
    const res = await as.globex('query ($id: ID!) { customer(id: $id) { tickets { nodes { id } } } }', { id: ID.acmeCork });
    expect(res.body.data?.customer).toBeNull();
  });

  it("the holder reads a descendant's ticket but writes only its own: a comment there reads as NOT_FOUND", async () => {
    const res = await as.acme(
      'mutation ($input: TicketCommentAddInput!) { ticketCommentAdd(input: $input) { comment { id } userErrors { code } } }',
      { input: { ticketId: ticketOf.acmeCork, body: 'From head office' } },
    );
    expect(res.body.data?.ticketCommentAdd.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
  });
});

describe('ticketReplyReceive: the inbound gateway of the brand only', () => {
  const RECEIVE = `mutation ($input: TicketReplyReceiveInput!) { ticketReplyReceive(input: $input) { duplicate userErrors { code } } }`;
  const input = () => ({
    replyToken: replyTokenFor({ ticketId: ticketOf.acmeCork, customerId: ID.acmeCork, storefrontId: STOREFRONT_IDS.volt }),
    channel: 'EMAIL',
    from: 'cork@acme.example',
    body: 'Matrix probe',
    providerMessageId: `matrix-${ticketOf.acmeCork}`,
  });
  const direct = (principal: Principal) => {
    const body = { query: RECEIVE, variables: { input: input() } };
    const header = signPrincipal(principal, internalSecret(), { audience: 'ticket', body });
    return request(stack.subgraphs.find((s) => s.definition.name === 'ticket')?.server.handler as Parameters<typeof request>[0])
      .post('/graphql')
      .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: header })
      .send(body);
  };
  const base = { storefrontId: STOREFRONT_IDS.volt, partnerId: null, roles: [] as string[], scopes: [] as string[] };

  it('is not in the public API for customers, staff or partners', async () => {
    for (const gql of [as.acmeCork, as.businessAgent, as.connectify]) {
      expect(distinctCodes(await gql(RECEIVE, { input: input() }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
  });

  it('straight to the subgraph: refused to anyone but a service with ticket:reply, and to a service of another brand', async () => {
    const refused = async (p: Principal) => (await direct(p)).body.errors?.[0]?.extensions?.code;
    expect(await refused({ ...base, kind: 'customer', id: ID.acmeCork })).toBe('FORBIDDEN');
    expect(
      await refused({
        ...base,
        kind: 'staff',
        id: seedId('staff', 'volt-business'),
        roles: ['segment:*'],
        scopes: ['ticket:write', 'ticket:reply'],
      }),
    ).toBe('FORBIDDEN');
    expect(await refused({ ...base, kind: 'service', id: 'mail-gateway' })).toBe('FORBIDDEN');
    const nimbus = await direct({
      ...base,
      kind: 'service',
      id: 'mail-gateway',
      storefrontId: STOREFRONT_IDS.nimbus,
      scopes: ['ticket:reply'],
    });
    expect(nimbus.body.data?.ticketReplyReceive.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_TOKEN']);
  });
});
