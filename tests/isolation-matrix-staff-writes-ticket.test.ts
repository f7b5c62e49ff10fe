import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, expectRefusedAndUnchanged, staffMutations, succeeded, type WriteAttempt } from './support/brand-matrix.js';
import { customerId, KEYS, type Response, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * Ticket writes, through the router: every staff mutation of the ticket subgraph tried on another
 * brand's, another segment's, another partner's or another customer's ticket is refused like an
 * unknown id and changes nothing; the same mutation succeeds for whoever may write the ticket, so each
 * refusal is the access rule and not a broken fixture. Tickets are this file's own.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
let owner: { id: string; gql: Gql };

const M = {
  ticketCreate: `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ticket { id version } userErrors { code field } } }`,
  ticketUpdate: `mutation ($input: TicketUpdateInput!) { ticketUpdate(input: $input) { ticket { id version } userErrors { code field } } }`,
  ticketAssign: `mutation ($input: TicketAssignInput!) { ticketAssign(input: $input) { ticket { id version } userErrors { code field } } }`,
  ticketTransition: `mutation ($input: TicketTransitionInput!) { ticketTransition(input: $input) { ticket { id version } userErrors { code field } } }`,
  ticketCommentAdd: `mutation ($input: TicketCommentAddInput!) { ticketCommentAdd(input: $input) { comment { id } userErrors { code field } } }`,
};
type Name = keyof typeof M;
const run = (gql: Gql, name: Name, input: Record<string, unknown>) => gql(M[name], { input });

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  owner = await registerCustomer(h, KEYS.volt, { prefix: 'ticket-iso' });
  as.other = (await registerCustomer(h, KEYS.volt, { prefix: 'ticket-iso' })).gql;
  as.voltAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.catalogAdmin = (await signIn(h, 'staffLogin', 'admin@dcrm.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
});
afterAll(() => stack.stop());

/** A fresh ticket raised by the owner, and its rows (ticket, history, comments) for before/after checks. */
async function fresh(gql: Gql = owner.gql, customer?: string) {
  const res = await run(gql, 'ticketCreate', { customerId: customer, category: 'OTHER', subject: 'Iso', description: 'Matrix' });
  const ticket = succeeded(res, 'ticketCreate').ticket as { id: string; version: number };
  const rows = async () => [
    await dbRows(stack, 'ticket', 'select * from "ticket"."ticket" where id = ?', [ticket.id]),
    await dbRows(stack, 'ticket', 'select id from "ticket"."ticket_status_history" where ticket_id = ? order by id', [ticket.id]),
    await dbRows(stack, 'ticket', 'select id from "ticket"."ticket_comment" where ticket_id = ? order by id', [ticket.id]),
  ];
  return { ...ticket, rows };
}

const attempts = (ticket: { id: string; version: number }) =>
  ({
    ticketUpdate: { id: ticket.id, version: ticket.version, subject: 'Changed' },
    ticketAssign: { id: ticket.id, version: ticket.version, teamId: '0190a0a0-0000-7000-8000-0000000000aa' },
    ticketTransition: { id: ticket.id, version: ticket.version, to: 'HELD', reason: 'Waiting' },
    ticketCommentAdd: { ticketId: ticket.id, body: 'Hello' },
  }) as const;

describe('ticket writes: brand, segment, partner and customer', () => {
  it("another brand's and another segment's staff are refused like an unknown ticket; the owner's segment succeeds", async () => {
    for (const [who, gql] of [
      ['nimbus', as.nimbusAgent],
      ['business segment', as.businessAgent],
    ] as const) {
      const ticket = await fresh();
      for (const [mutation, input] of Object.entries(attempts(ticket)) as [Name, Record<string, unknown>][]) {
        const c: WriteAttempt = {
          mutation,
          what: `${who} on a Volt consumer ticket`,
          attempt: () => run(gql, mutation, input),
          refusal: 'NOT_FOUND',
          rows: ticket.rows,
        };
        await expectRefusedAndUnchanged(c);
      }
    }
    const ticket = await fresh();
    const done = succeeded(await run(as.voltAgent, 'ticketUpdate', attempts(ticket).ticketUpdate), 'ticketUpdate');
    succeeded(await run(as.voltAgent, 'ticketAssign', { ...attempts(ticket).ticketAssign, version: done.ticket.version }), 'ticketAssign');
    succeeded(await run(as.voltAgent, 'ticketCommentAdd', attempts(ticket).ticketCommentAdd), 'ticketCommentAdd');
  });

  it('staff cannot raise tickets on accounts outside their brand or segments; staff without ticket:write write nothing', async () => {
    const input = { customerId: owner.id, category: 'OTHER', subject: 'Iso', description: 'Matrix' };
    const count = () => dbRows(stack, 'ticket', 'select count(*)::int as n from "ticket"."ticket" where customer_id = ?', [owner.id]);
    for (const gql of [as.nimbusAgent, as.businessAgent]) {
      await expectRefusedAndUnchanged({
        mutation: 'ticketCreate',
        what: 'outside',
        attempt: () => run(gql, 'ticketCreate', input),
        refusal: 'NOT_FOUND',
        rows: count,
      });
    }
    const ticket = await fresh();
    await expectRefusedAndUnchanged({
      mutation: 'ticketCommentAdd',
      what: 'staff without ticket:write',
      attempt: () => run(as.catalogAdmin, 'ticketCommentAdd', attempts(ticket).ticketCommentAdd),
      refusal: 'FORBIDDEN',
      rows: ticket.rows,
    });
  });

  it("another partner and another customer are refused like an unknown ticket; the account's partner may comment", async () => {
    const partnered = await fresh(as.connectify, customerId('connectify-two'));
    for (const mutation of ['ticketTransition', 'ticketCommentAdd'] as const) {
      const input = { ...attempts(partnered)[mutation], ...(mutation === 'ticketTransition' ? { to: 'CANCELLED' } : {}) };
      await expectRefusedAndUnchanged({
        mutation,
        what: 'skyline on connectify',
        attempt: () => run(as.skyline, mutation, input),
        refusal: 'NOT_FOUND',
        rows: partnered.rows,
      });
    }
    succeeded(await run(as.connectify, 'ticketCommentAdd', attempts(partnered).ticketCommentAdd), 'ticketCommentAdd');
    const own = await fresh();
    for (const mutation of ['ticketTransition', 'ticketCommentAdd'] as const) {
      const input = { ...attempts(own)[mutation], ...(mutation === 'ticketTransition' ? { to: 'CANCELLED' } : {}) };
      await expectRefusedAndUnchanged({
        mutation,
        what: 'customer B on A',
        attempt: () => run(as.other, mutation, input),
        refusal: 'NOT_FOUND',
        rows: own.rows,
      });
    }
    succeeded(await run(owner.gql, 'ticketTransition', { id: own.id, version: own.version, to: 'CANCELLED' }), 'ticketTransition');
  });
});

// The cases above, by mutation: a new staff mutation of ticket fails here until it joins the matrix.
// The knowledge-base mutations have their brand and scope cases in isolation-matrix-knowledge.test.ts;
// businessCalendarSet, slaPolicySet in tests/isolation-matrix-sla.test.ts.
const KNOWLEDGE = ['articleCreate', 'articleTransition', 'articleUpdate', 'ticketArticleLink'];
const SLA = ['businessCalendarSet', 'slaPolicySet'];
const COVERED = ['ticketAssign', 'ticketCommentAdd', 'ticketCreate', 'ticketTransition', 'ticketUpdate', ...KNOWLEDGE, ...SLA];

describe('coverage', () => {
  it('the matrix covers every staff mutation of ticket', () => {
    const all = staffMutations(new URL('../subgraphs/ticket/src/schema.graphql', import.meta.url));
    expect(all.filter((m) => !COVERED.includes(m))).toEqual([]);
  });
});
