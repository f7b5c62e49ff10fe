import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { KEYS, registerCustomer, signIn, startTestStack } from '../../../tests/support/stack.js';
import { type Gql, ok } from './sla-support.js';

/** What a resolved ticket sets off elsewhere: promotion's real-time rules (TICKET_RESOLVED: a goodwill offer) and the NPS survey. */
let stack: Stack;
const as: Record<string, Gql> = {};

beforeAll(async () => {
  stack = await startTestStack();
  as.manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
  as.agent = (await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example')).gql;
});
afterAll(() => stack.stop());

const RULE = `mutation ($input: OfferRuleCreateInput!) { offerRuleCreate(input: $input) { offerRule { id version event } userErrors { code field } } }`;
const RULE_UPDATE = `mutation ($input: OfferRuleUpdateInput!) { offerRuleUpdate(input: $input) { offerRule { active } userErrors { code } } }`;
const CREATE = `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ticket { id version } userErrors { code } } }`;
const MOVE = `mutation ($input: TicketTransitionInput!) { ticketTransition(input: $input) { ticket { status } userErrors { code } } }`;

describe('after a ticket is resolved', () => {
  it('a TICKET_RESOLVED real-time rule makes the goodwill offer, and the active NPS survey goes to the customer', async () => {
    const created = await ok(
      as.manager,
      RULE,
      {
        name: `Goodwill ${Date.now()}`,
        event: 'TICKET_RESOLVED',
        template: { title: 'Sorry for the trouble, {{name}}', message: 'A month on us' },
      },
      'offerRuleCreate',
    );
    expect(created.offerRule.event).toBe('TICKET_RESOLVED');
    try {
      const customer = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Grace Goodwill', prefix: 'goodwill' });
      const raised = await ok(
        customer.gql,
        CREATE,
        { category: 'BILLING', subject: 'Double charge', description: 'Twice in November' },
        'ticketCreate',
      );
      const { id } = raised.ticket;
      const version = (await as.agent(`{ ticket(id: "${id}") { version } }`)).body.data?.ticket.version;
      await ok(as.agent, MOVE, { id, version, to: 'RESOLVED', resolution: 'Refunded the second charge' }, 'ticketTransition');
      await vi.waitFor(
        async () => {
          const offers = (await customer.gql('{ me { offers { nodes { source title } } } }')).body.data?.me.offers.nodes ?? [];
          expect(offers).toContainEqual({ source: 'REAL_TIME', title: 'Sorry for the trouble, Grace Goodwill' });
        },
        { timeout: 5_000, interval: 50 },
      );
      const sent = async () =>
        (await stack.subgraphs
          .find((s) => s.definition.name === 'customer')
          ?.orm.em.fork()
          .getConnection()
          .execute(
            `select channel, body, dedupe_key from "customer"."notification_sent" where customer_id = ? and template_key = 'nps.afterTicket'`,
            [customer.id],
          )) as { channel: string; body: string; dedupe_key: string }[];
      await vi.waitFor(async () => expect((await sent()).length).toBeGreaterThan(0), { timeout: 5_000, interval: 50 });
      expect((await sent())[0]).toMatchObject({
        body: expect.stringContaining('Answer from 0 to 10'),
        dedupe_key: expect.stringContaining(`nps:ticket:${id}`),
      });
      // The inbox message links the answer to the ticket (npsRespond with contextType "ticket").
      const answer = await customer.gql(
        'mutation ($input: NpsRespondInput!) { npsRespond(input: $input) { response { score } userErrors { code } } }',
        { input: { score: 9, channel: 'WEB', contextType: 'ticket', contextId: id } },
      );
      expect(answer.body.data?.npsRespond).toEqual({ response: { score: 9 }, userErrors: [] });
    } finally {
      // Off again, so other files' resolved tickets make no offers.
      await as.manager(RULE_UPDATE, { input: { id: created.offerRule.id, version: created.offerRule.version, active: false } });
    }
  });
});
