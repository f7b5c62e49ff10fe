import { internalSecret, newId, PRINCIPAL_HEADER, type Principal, seedId, signPrincipal, TICKET_EVENTS } from '@dcrm/kit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { dbRows } from '../../../tests/support/brand-matrix.js';
import {
  client,
  codes,
  customerId,
  distinctCodes,
  KEYS,
  PRIVATE_KEYS,
  type Response,
  registerCustomer,
  STOREFRONT_IDS,
  signIn,
  startTestStack,
} from '../../../tests/support/stack.js';

/** Raising tickets (customer, agent, partner, chatbot), the life cycle with its guards and history, comments and attachments. */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
let customer: { id: string; gql: Gql };
const resolved: unknown[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  customer = await registerCustomer(h, KEYS.volt, { prefix: 'ticket' });
  as.customer = customer.gql;
  as.agent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.shopper = client(h, KEYS.volt);
  await stack.bus.subscribe(TICKET_EVENTS.resolved, (event) => void resolved.push(event));
});
afterAll(() => stack.stop());

const TICKET = 'id status version priority channel raisedBy { kind } statusReason resolution firstRespondedAt resolvedAt closedAt';
const CREATE = `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ticket { ${TICKET} attachments { nodes { fileName size sha256 } } } userErrors { code field } } }`;
const MOVE = `mutation ($input: TicketTransitionInput!) { ticketTransition(input: $input) { ticket { ${TICKET} } userErrors { code field } } }`;
const COMMENT = `mutation ($input: TicketCommentAddInput!) { ticketCommentAdd(input: $input) { comment { id internal author { kind } } ticket { status } userErrors { code field } } }`;

async function ok(gql: Gql, query: string, input: Record<string, unknown>, field: string) {
  const res = await gql(query, { input });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.body.data?.[field].userErrors, JSON.stringify(res.body.data?.[field])).toEqual([]);
  return res.body.data?.[field];
}
const userErrors = async (gql: Gql, query: string, input: Record<string, unknown>, field: string) =>
  ((await gql(query, { input })).body.data?.[field]?.userErrors ?? []).map((e: { code: string }) => e.code);

describe('raising tickets', () => {
  it('a customer raises their own, with a file; CRITICAL becomes HIGH; created and acknowledged in the history', async () => {
    const attachments = [{ fileName: 'screen.png', contentType: 'image/png', contentBase64: Buffer.from('png-bytes').toString('base64') }];
    const { ticket } = await ok(
      as.customer,
      CREATE,
      { category: 'TECHNICAL', priority: 'CRITICAL', subject: 'No signal', description: 'Since this morning', attachments },
      'ticketCreate',
    );
    expect(ticket).toMatchObject({ status: 'ACKNOWLEDGED', priority: 'HIGH', channel: 'SELF_CARE', raisedBy: { kind: 'CUSTOMER' } });
    expect(ticket.attachments.nodes).toEqual([{ fileName: 'screen.png', size: 9, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const read = await as.customer(
      `{ ticket(id: "${ticket.id}") { statusHistory { nodes { from to actor { kind } } } attachments { nodes { id } } } }`,
    );
    expect(read.body.data?.ticket.statusHistory.nodes).toEqual([{ from: null, to: 'ACKNOWLEDGED', actor: { kind: 'CUSTOMER' } }]);
    const id = read.body.data?.ticket.attachments.nodes[0].id;
    const file = await as.customer(`{ ticketAttachment(id: "${id}") { contentBase64 } }`);
    expect(Buffer.from(file.body.data?.ticketAttachment.contentBase64, 'base64').toString()).toBe('png-bytes');
  });

  it('refuses bad input, other accounts and oversized files', async () => {
    const base = { category: 'BILLING', subject: 'Bill', description: 'Too high' };
    expect(await userErrors(as.customer, CREATE, { ...base, subject: ' ' }, 'ticketCreate')).toEqual(['BLANK']);
    expect(await userErrors(as.customer, CREATE, { ...base, customerId: customerId('aoife') }, 'ticketCreate')).toEqual(['NOT_FOUND']);
    const huge = Buffer.alloc(600 * 1024).toString('base64');
    const files = [{ fileName: 'big.bin', contentType: 'application/octet-stream', contentBase64: huge }];
    expect(await userErrors(as.customer, CREATE, { ...base, attachments: files }, 'ticketCreate')).toEqual(['TOO_LARGE']);
    expect(codes(await as.shopper(CREATE, { input: base }))).toEqual(['FORBIDDEN']);
  });

  it('an agent raises one on the customer’s behalf (logged as an interaction); another segment cannot', async () => {
    const input = { customerId: customer.id, category: 'BILLING', subject: 'Refund please', description: 'Called in' };
    const { ticket } = await ok(as.agent, CREATE, input, 'ticketCreate');
    expect(ticket).toMatchObject({ channel: 'PHONE', raisedBy: { kind: 'STAFF' } });
    const interactions = await as.agent(`{ customer(id: "${customer.id}") { interactions { nodes { notes } } } }`);
    const notes = interactions.body.data?.customer.interactions.nodes.map((n: { notes: string }) => n.notes);
    expect(notes).toContain(`Ticket raised: Refund please (${ticket.id})`);
    expect(await userErrors(as.businessAgent, CREATE, input, 'ticketCreate')).toEqual(['NOT_FOUND']);
  });

  it('a partner raises one for its accounts only; a chatbot key with ticket:create for any account of its brand', async () => {
    const base = { category: 'DEVICE', subject: 'SIM', description: 'Not recognised' };
    const { ticket } = await ok(as.connectify, CREATE, { ...base, customerId: customerId('connectify-two') }, 'ticketCreate');
    expect(ticket).toMatchObject({ channel: 'PARTNER', raisedBy: { kind: 'PARTNER' } });
    expect(await userErrors(as.connectify, CREATE, { ...base, customerId: customerId('skyline-one') }, 'ticketCreate')).toEqual([
      'NOT_FOUND',
    ]);
    const bot = await ok(as.chatbot, CREATE, { ...base, customerId: customer.id }, 'ticketCreate');
    expect(bot.ticket).toMatchObject({ channel: 'CHATBOT', raisedBy: { kind: 'API_KEY' } });
  });
});

describe('the life cycle', () => {
  const raise = async () =>
    (await ok(as.customer, CREATE, { category: 'NETWORK', subject: 'Slow', description: 'Evenings' }, 'ticketCreate')).ticket;

  it('staff work it; a stale version is a CONFLICT; the customer’s reply resumes a PENDING ticket', async () => {
    let t = await raise();
    expect(await userErrors(as.customer, MOVE, { id: t.id, version: t.version, to: 'IN_PROGRESS' }, 'ticketTransition')).toEqual([
      'FORBIDDEN',
    ]);
    t = (await ok(as.agent, MOVE, { id: t.id, version: t.version, to: 'IN_PROGRESS' }, 'ticketTransition')).ticket;
    expect(t.firstRespondedAt).not.toBeNull();
    expect(await userErrors(as.agent, MOVE, { id: t.id, version: t.version - 1, to: 'HELD', reason: 'x' }, 'ticketTransition')).toEqual([
      'CONFLICT',
    ]);
    expect(await userErrors(as.agent, MOVE, { id: t.id, version: t.version, to: 'PENDING' }, 'ticketTransition')).toEqual(['REQUIRED']);
    t = (await ok(as.agent, MOVE, { id: t.id, version: t.version, to: 'PENDING', reason: 'Need your router model' }, 'ticketTransition'))
      .ticket;
    expect(t.statusReason).toBe('Need your router model');
    const reply = await ok(as.customer, COMMENT, { ticketId: t.id, body: 'It is a VX-200' }, 'ticketCommentAdd');
    expect(reply.ticket.status).toBe('IN_PROGRESS');
    const assign = `mutation ($input: TicketAssignInput!) { ticketAssign(input: $input) { ticket { version assignee { id } } userErrors { code } } }`;
    const current = (await as.agent(`{ ticket(id: "${t.id}") { version } }`)).body.data?.ticket.version;
    const staffId = seedId('staff', 'volt-business');
    const assigned = await ok(as.agent, assign, { id: t.id, version: current, assigneeStaffId: staffId }, 'ticketAssign');
    expect(assigned.ticket.assignee).toEqual({ id: staffId });
    const elsewhere = { id: t.id, version: current + 1, assigneeStaffId: seedId('staff', 'nimbus-agent') };
    expect(await userErrors(as.agent, assign, elsewhere, 'ticketAssign')).toEqual(['NOT_FOUND']);
    expect(distinctCodes(await as.customer(assign, { input: { id: t.id, version: current } }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('resolution publishes ticket.resolved; the customer reopens within the window, then confirms; final means final', async () => {
    let t = await raise();
    expect(await userErrors(as.agent, MOVE, { id: t.id, version: t.version, to: 'RESOLVED' }, 'ticketTransition')).toEqual(['REQUIRED']);
    t = (await ok(as.agent, MOVE, { id: t.id, version: t.version, to: 'RESOLVED', resolution: 'Reset the line' }, 'ticketTransition'))
      .ticket;
    expect(t).toMatchObject({ status: 'RESOLVED', resolution: 'Reset the line' });
    expect(resolved).toContainEqual(expect.objectContaining({ ticketId: t.id, customerId: customer.id, category: 'NETWORK' }));
    t = (await ok(as.customer, MOVE, { id: t.id, version: t.version, to: 'IN_PROGRESS', reason: 'Still slow' }, 'ticketTransition')).ticket;
    t = (await ok(as.agent, MOVE, { id: t.id, version: t.version, to: 'RESOLVED', resolution: 'Replaced the router' }, 'ticketTransition'))
      .ticket;
    const confirm = `mutation ($id: ID!) { ticketConfirmResolution(input: { id: $id }) { ticket { status closedAt } userErrors { code } } }`;
    const closed = (await as.customer(confirm, { id: t.id })).body.data?.ticketConfirmResolution;
    expect(closed.ticket.status).toBe('CLOSED');
    expect((await as.customer(confirm, { id: t.id })).body.data?.ticketConfirmResolution.userErrors).toEqual([
      { code: 'INVALID_TRANSITION' },
    ]);
    const history = (await as.customer(`{ ticket(id: "${t.id}") { statusHistory { nodes { to actor { kind } } } allowedTransitions } }`))
      .body.data?.ticket;
    expect(history.statusHistory.nodes.map((h: { to: string }) => h.to)).toEqual([
      'ACKNOWLEDGED',
      'RESOLVED',
      'IN_PROGRESS',
      'RESOLVED',
      'CLOSED',
    ]);
    expect(history.allowedTransitions).toEqual([]);
  });

  it('closes a resolved ticket automatically once the confirmation window has passed, once', async () => {
    let t = await raise();
    t = (await ok(as.agent, MOVE, { id: t.id, version: t.version, to: 'RESOLVED', resolution: 'Fixed' }, 'ticketTransition')).ticket;
    const ticket = stack.subgraphs.find((s) => s.definition.name === 'ticket');
    const run = ticket?.server.tasks?.['ticket:auto-close'] as (payload: unknown) => Promise<void>;
    await run({ ticketId: t.id });
    expect((await as.customer(`{ ticket(id: "${t.id}") { status } }`)).body.data?.ticket.status).toBe('RESOLVED');
    await ticket?.orm.em
      .fork()
      .getConnection()
      .execute(`update "ticket"."ticket" set resolved_at = now() - interval '8 days' where id = ?`, [t.id]);
    await run({ ticketId: t.id });
    await run({ ticketId: t.id });
    const after = (await as.customer(`{ ticket(id: "${t.id}") { status statusHistory { nodes { to actor { kind } } } } }`)).body.data
      ?.ticket;
    expect(after.status).toBe('CLOSED');
    expect(after.statusHistory.nodes.filter((h: { to: string }) => h.to === 'CLOSED')).toEqual([
      { to: 'CLOSED', actor: { kind: 'SYSTEM' } },
    ]);
  });
});

describe('comments and the 360° view', () => {
  it('internal comments reach staff only; customers cannot write them', async () => {
    const { ticket } = await ok(as.customer, CREATE, { category: 'ACCOUNT', subject: 'Address', description: 'Moved' }, 'ticketCreate');
    await ok(as.agent, COMMENT, { ticketId: ticket.id, body: 'Customer sounded upset', internal: true }, 'ticketCommentAdd');
    await ok(as.agent, COMMENT, { ticketId: ticket.id, body: 'We have updated it' }, 'ticketCommentAdd');
    expect(await userErrors(as.customer, COMMENT, { ticketId: ticket.id, body: 'x', internal: true }, 'ticketCommentAdd')).toEqual([
      'FORBIDDEN',
    ]);
    const own = await as.customer(`{ ticket(id: "${ticket.id}") { firstRespondedAt comments { nodes { body author { kind } } } } }`);
    expect(own.body.data?.ticket.comments.nodes).toEqual([{ body: 'We have updated it', author: { kind: 'STAFF' } }]);
    expect(own.body.data?.ticket.firstRespondedAt).not.toBeNull();
    const internal = await as.customer(`{ ticket(id: "${ticket.id}") { internalComments { nodes { body } } } }`);
    expect(internal.body.data?.ticket?.internalComments ?? null).toBeNull();
    const staff = await as.agent(`{ ticket(id: "${ticket.id}") { internalComments { nodes { body author { staff { id } } } } } }`);
    expect(staff.body.data?.ticket.internalComments.nodes.map((c: { body: string }) => c.body)).toEqual(['Customer sounded upset']);
    // The agent's public reply reaches the customer's inbox (notify-on-change, after the commit); the internal note does not.
    const templates = async () =>
      (
        (await dbRows(
          stack,
          'customer',
          `select body from "customer"."notification_sent" where customer_id = ? and template_key like 'ticket.%'`,
          [customer.id],
        )) as { body: string }[]
      ).map((r) => r.body);
    for (let i = 0; i < 40 && !(await templates()).some((b) => b.includes('We have updated it')); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await templates()).toEqual(expect.arrayContaining([expect.stringContaining('We have updated it')]));
    expect((await templates()).some((b) => b.includes('sounded upset'))).toBe(false);
  });

  it('Customer.tickets and outstandingIssues, for the holder and for staff', async () => {
    const me = (
      await as.customer('{ me { tickets(first: 100) { nodes { id status } } outstandingIssues { openCount breachedCount oldestOpenAt } } }')
    ).body.data?.me;
    const open = me.tickets.nodes.filter((t: { status: string }) => ['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING', 'HELD'].includes(t.status));
    expect(me.outstandingIssues).toMatchObject({ openCount: open.length, breachedCount: 0 });
    expect(me.outstandingIssues.oldestOpenAt).not.toBeNull();
    const staff = await as.agent(
      `{ customer(id: "${customer.id}") { outstandingIssues { openCount } tickets(status: [CLOSED]) { nodes { status } } } }`,
    );
    expect(staff.body.data?.customer.outstandingIssues.openCount).toBe(open.length);
    expect(staff.body.data?.customer.tickets.nodes.every((t: { status: string }) => t.status === 'CLOSED')).toBe(true);
  });
});

describe('Order.tickets', () => {
  it("an order's tickets, as its owner may see them (straight to the ticket subgraph, as the router plans it)", async () => {
    const orderId = newId();
    const input = { category: 'ORDER', subject: 'Late', description: 'Not delivered', relatedOrderId: orderId };
    const { ticket } = await ok(as.customer, CREATE, input, 'ticketCreate');
    const query = `{ _entities(representations: [{ __typename: "Order", id: "${orderId}" }]) { ... on Order { tickets(last: 5) { nodes { id } } } } }`;
    const ask = (p: Principal) => {
      const body = { query };
      const handler = stack.subgraphs.find((s) => s.definition.name === 'ticket')?.server.handler as Parameters<typeof request>[0];
      return request(handler)
        .post('/graphql')
        .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: signPrincipal(p, internalSecret(), { audience: 'ticket', body }) })
        .send(body);
    };
    const base = { storefrontId: STOREFRONT_IDS.volt, partnerId: null, roles: [], scopes: [] };
    expect((await ask({ ...base, kind: 'customer', id: customer.id })).body.data._entities).toEqual([
      { tickets: { nodes: [{ id: ticket.id }] } },
    ]);
    expect((await ask({ ...base, kind: 'customer', id: customerId('aoife') })).body.data._entities).toEqual([{ tickets: { nodes: [] } }]);
  });
});
