import { internalSecret, PRINCIPAL_HEADER, type Principal, seedId, signPrincipal } from '@dcrm/kit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { dbRows } from '../../../tests/support/brand-matrix.js';
import { KEYS, type Response, registerCustomer, STOREFRONT_IDS, signIn, startTestStack } from '../../../tests/support/stack.js';
import { replyTargetOf, replyTokenFor } from '../src/domain/reply-token.js';

/** Ticket communications through the router: the customer's side replying tells the ticket's handlers. */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
let customer: { id: string; email: string };
const STAFF = { consumer: seedId('staff', 'volt-consumer'), business: seedId('staff', 'volt-business') };

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  const registered = await registerCustomer(h, KEYS.volt, { prefix: 'ticket-comms' });
  customer = { id: registered.id, email: registered.email };
  as.customer = registered.gql;
  as.manager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
});
afterAll(() => stack.stop());

const TICKET = 'id status version';
const CREATE = `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ticket { ${TICKET} } userErrors { code field } } }`;
const ASSIGN = `mutation ($input: TicketAssignInput!) { ticketAssign(input: $input) { ticket { ${TICKET} } userErrors { code field } } }`;
const MOVE = `mutation ($input: TicketTransitionInput!) { ticketTransition(input: $input) { ticket { ${TICKET} } userErrors { code field } } }`;
const CONFIRM = `mutation ($input: TicketConfirmResolutionInput!) { ticketConfirmResolution(input: $input) { ticket { ${TICKET} } userErrors { code field } } }`;
const COMMENT = `mutation ($input: TicketCommentAddInput!) { ticketCommentAdd(input: $input) { comment { id } ticket { ${TICKET} } userErrors { code field } } }`;

type Ticket = { id: string; status: string; version: number };
async function ok(gql: Gql, query: string, input: Record<string, unknown>, field: string) {
  const res = await gql(query, { input });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.body.data?.[field].userErrors, JSON.stringify(res.body.data?.[field])).toEqual([]);
  return res.body.data?.[field];
}
const raise = async (subject: string): Promise<Ticket> =>
  (await ok(as.customer, CREATE, { category: 'OTHER', subject, description: 'Please help' }, 'ticketCreate')).ticket;

/** Staff notices of one template sent about a ticket, by staff member. */
const notices = async (key: string) =>
  (await dbRows(
    stack,
    'customer',
    `select staff_id, channel, subject, body from "customer"."notification_sent"
     where template_key = 'ticket.customerReplied' and dedupe_key like ? order by staff_id, channel`,
    [`ticket.customerReplied:${key}:%`],
  )) as { staff_id: string; channel: string; subject: string; body: string }[];

describe('the other side is told', () => {
  it("a customer's public comment tells the assignee (inbox and email), with the excerpt", async () => {
    const ticket = await raise('Router keeps rebooting');
    const assigned = (
      await ok(as.manager, ASSIGN, { id: ticket.id, version: ticket.version, assigneeStaffId: STAFF.consumer }, 'ticketAssign')
    ).ticket;
    const { comment } = await ok(
      as.customer,
      COMMENT,
      { ticketId: assigned.id, body: 'It happened   again\nthis morning' },
      'ticketCommentAdd',
    );
    const sent = await notices(comment.id);
    expect(sent.map((n) => [n.staff_id, n.channel])).toEqual([
      [STAFF.consumer, 'EMAIL'],
      [STAFF.consumer, 'SITE_MESSAGE'],
    ]);
    expect(sent[0].subject).toContain('Router keeps rebooting');
    expect(sent[0].body).toContain('the customer wrote');
    expect(sent[0].body).toContain('It happened again this morning');
  });

  it("with nobody assigned, the brand's support team hears of it; internal notes and staff replies tell no staff", async () => {
    const raised = await raise('Voicemail not working');
    // Assignment rules may have placed it: take it out of every queue first.
    const read = await as.manager('query ($id: ID!) { ticket(id: $id) { version } }', { id: raised.id });
    const version = read.body.data?.ticket.version as number;
    const ticket = (await ok(as.manager, ASSIGN, { id: raised.id, version, assigneeStaffId: null, teamId: null }, 'ticketAssign')).ticket;
    const { comment } = await ok(as.customer, COMMENT, { ticketId: ticket.id, body: 'Any news?' }, 'ticketCommentAdd');
    const staff = [...new Set((await notices(comment.id)).map((n) => n.staff_id))].sort();
    expect(staff).toEqual([STAFF.consumer, STAFF.business].sort());
    const reply = await ok(as.manager, COMMENT, { ticketId: ticket.id, body: 'Looking into it' }, 'ticketCommentAdd');
    const note = await ok(as.manager, COMMENT, { ticketId: ticket.id, body: 'Check the mailbox', internal: true }, 'ticketCommentAdd');
    expect(await notices(reply.comment.id)).toEqual([]);
    expect(await notices(note.comment.id)).toEqual([]);
  });

  it('reopening and confirming a resolution tell the assignee too', async () => {
    let ticket = await raise('Wrong tariff');
    ticket = (await ok(as.manager, ASSIGN, { id: ticket.id, version: ticket.version, assigneeStaffId: STAFF.business }, 'ticketAssign'))
      .ticket;
    ticket = (
      await ok(as.manager, MOVE, { id: ticket.id, version: ticket.version, to: 'RESOLVED', resolution: 'Tariff fixed' }, 'ticketTransition')
    ).ticket;
    ticket = (
      await ok(
        as.customer,
        MOVE,
        { id: ticket.id, version: ticket.version, to: 'IN_PROGRESS', reason: 'Still the old tariff' },
        'ticketTransition',
      )
    ).ticket;
    const reopened = await notices(`${ticket.id}:v${ticket.version}`);
    expect(reopened.map((n) => n.staff_id)).toEqual([STAFF.business, STAFF.business]);
    expect(reopened[0].body).toContain('Reopened: Still the old tariff');
    ticket = (
      await ok(as.manager, MOVE, { id: ticket.id, version: ticket.version, to: 'RESOLVED', resolution: 'Really fixed' }, 'ticketTransition')
    ).ticket;
    await ok(as.customer, CONFIRM, { id: ticket.id }, 'ticketConfirmResolution');
    const confirmed = await notices(`${ticket.id}:confirmed`);
    expect(confirmed.map((n) => n.staff_id)).toEqual([STAFF.business, STAFF.business]);
    expect(confirmed[0].body).toContain('Resolution confirmed');
  });
});

describe('email and SMS replies recorded', () => {
  const RECEIVE = `mutation ($input: TicketReplyReceiveInput!) { ticketReplyReceive(input: $input) {
    comment { id channel body author { kind } } duplicate userErrors { code field } } }`;
  const gateway = (scopes = ['ticket:reply'], storefrontId = STOREFRONT_IDS.volt): Principal => ({
    kind: 'service',
    id: 'mail-gateway',
    storefrontId,
    partnerId: null,
    roles: [],
    scopes,
  });
  const receive = (input: Record<string, unknown>, principal = gateway()) => {
    const body = { query: RECEIVE, variables: { input } };
    const header = signPrincipal(principal, internalSecret(), { audience: 'ticket', body });
    return request(stack.subgraphs.find((s) => s.definition.name === 'ticket')?.server.handler as Parameters<typeof request>[0])
      .post('/graphql')
      .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: header })
      .send(body);
  };
  const errorsOf = (res: { body: { data?: { ticketReplyReceive?: { userErrors: { code: string }[] } } } }) =>
    res.body.data?.ticketReplyReceive?.userErrors.map((e) => e.code);

  it("an email reply from the customer's address becomes their public EMAIL comment, once per provider message", async () => {
    const ticket = await raise('Email me back');
    const replyToken = replyTokenFor({ ticketId: ticket.id, customerId: customer.id, storefrontId: STOREFRONT_IDS.volt });
    const input = {
      replyToken,
      channel: 'EMAIL',
      from: `"Test Customer" <${customer.email.toUpperCase()}>`,
      body: 'Replying from my phone: still broken',
      providerMessageId: `<${ticket.id}@mail.example>`,
    };
    const first = await receive(input);
    expect(first.body.errors, JSON.stringify(first.body.errors)).toBeUndefined();
    expect(first.body.data.ticketReplyReceive).toMatchObject({
      comment: { channel: 'EMAIL', body: 'Replying from my phone: still broken', author: { kind: 'CUSTOMER' } },
      duplicate: false,
      userErrors: [],
    });
    const again = await receive(input);
    expect(again.body.data.ticketReplyReceive).toMatchObject({
      comment: { id: first.body.data.ticketReplyReceive.comment.id },
      duplicate: true,
    });
    const read = await as.customer('query ($id: ID!) { ticket(id: $id) { comments { nodes { channel body } } } }', { id: ticket.id });
    expect(read.body.data?.ticket.comments.nodes).toEqual([{ channel: 'EMAIL', body: 'Replying from my phone: still broken' }]);
    // The handlers hear of it like any customer reply.
    expect((await notices(first.body.data.ticketReplyReceive.comment.id)).length).toBeGreaterThan(0);
  });

  it('refuses forged tokens, tokens of another brand, strangers, other channels and callers without the scope', async () => {
    const ticket = await raise('Only from me');
    const replyToken = replyTokenFor({ ticketId: ticket.id, customerId: customer.id, storefrontId: STOREFRONT_IDS.volt });
    const base = { replyToken, channel: 'EMAIL', from: customer.email, body: 'Hi', providerMessageId: `m-${ticket.id}` };
    const [payload] = replyToken.split('.');
    expect(errorsOf(await receive({ ...base, replyToken: `${payload}.${'A'.repeat(24)}` }))).toEqual(['INVALID_TOKEN']);
    expect(errorsOf(await receive(base, gateway(['ticket:reply'], STOREFRONT_IDS.nimbus)))).toEqual(['INVALID_TOKEN']);
    expect(errorsOf(await receive({ ...base, from: 'someone@else.example' }))).toEqual(['SENDER_MISMATCH']);
    expect(errorsOf(await receive({ ...base, channel: 'SMS', from: '+353870000000' }))).toEqual(['SENDER_MISMATCH']);
    expect(errorsOf(await receive({ ...base, channel: 'API' }))).toEqual(['INVALID']);
    expect((await receive(base, gateway([]))).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const comments = await dbRows(stack, 'ticket', 'select id from "ticket"."ticket_comment" where ticket_id = ?', [ticket.id]);
    expect(comments).toEqual([]);
    // Not part of the public API at all.
    expect((await as.customer(RECEIVE, { input: base })).body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("the customer's notices carry the ticket's reply token", async () => {
    const ticket = await raise('Token please');
    await ok(as.manager, COMMENT, { ticketId: ticket.id, body: 'Reply to this email' }, 'ticketCommentAdd');
    const rows = (await dbRows(
      stack,
      'ticket',
      `select variables from "ticket"."notify_outbox" where template_key = 'ticket.commented' and variables->>'ticketId' = ?`,
      [ticket.id],
    )) as { variables: Record<string, string> }[];
    expect(rows.length).toBe(1);
    expect(replyTargetOf(rows[0].variables.replyToken)).toEqual({
      ticketId: ticket.id,
      customerId: customer.id,
      storefrontId: STOREFRONT_IDS.volt,
    });
  });
});
