import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { DEMO_CALENDARS } from '../subgraphs/ticket/src/seed/sla.js';
import { dbRows, expectRefusedAndUnchanged, succeeded } from './support/brand-matrix.js';
import { client, codes, distinctCodes, KEYS, type Response, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * SLA data across brands and kinds of caller, through the router: business calendars and SLA policies
 * are read and written only in the caller's acting brand (staff with `ticket:read` / `ticket:admin`);
 * another brand's policy reads like an unknown id and stays unchanged; customers, partners and keys reach
 * none of it, nor a ticket's clock. Writes here set the demo's own values (calendars) or policies of this file.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.agent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  const volt = await signIn(h, 'staffLogin', 'manager@volt.example');
  as.voltManager = volt.gql;
  as.voltManagerInNimbus = client(h, KEYS.nimbus, { authorization: `Bearer ${volt.accessToken}` });
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  const regional = await signIn(h, 'staffLogin', 'regional@dcrm.example');
  as.regionalInNimbus = client(h, KEYS.nimbus, { authorization: `Bearer ${regional.accessToken}` });
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

const CALENDAR = '{ businessCalendar { timeZone } }';
const POLICIES = '{ slaPolicies { id name } }';
const CALENDAR_SET = `mutation ($input: BusinessCalendarSetInput!) { businessCalendarSet(input: $input) { calendar { timeZone } userErrors { code } } }`;
const POLICY_SET = `mutation ($input: SlaPolicySetInput!) { slaPolicySet(input: $input) { policy { id version name } userErrors { code field } } }`;
const calendarRows = () =>
  dbRows(stack, 'ticket', 'select storefront_id, calendar, version from "ticket"."business_calendar" order by storefront_id');

describe('SLA reads', () => {
  it('each brand’s staff read their brand’s calendar and policies; customers, partners and keys none', async () => {
    expect((await as.agent(CALENDAR)).body.data?.businessCalendar.timeZone).toBe('Europe/Dublin');
    expect((await as.nimbusAgent(CALENDAR)).body.data?.businessCalendar.timeZone).toBe('Europe/London');
    expect((await as.regionalInNimbus(CALENDAR)).body.data?.businessCalendar.timeZone).toBe('Europe/London');
    const voltPolicies = (await as.agent(POLICIES)).body.data?.slaPolicies.map((p: { id: string }) => p.id);
    const nimbusPolicies = (await as.nimbusAgent(POLICIES)).body.data?.slaPolicies.map((p: { id: string }) => p.id);
    expect(voltPolicies).toContain(seedId('sla-policy', 'volt:default'));
    expect(voltPolicies).not.toContain(seedId('sla-policy', 'nimbus:default'));
    expect(nimbusPolicies).toContain(seedId('sla-policy', 'nimbus:default'));
    expect(nimbusPolicies).not.toContain(seedId('sla-policy', 'volt:default'));
    for (const gql of [as.aoife, as.connectify, as.shopper]) {
      expect(codes(await gql(CALENDAR)).length).toBeGreaterThan(0);
      expect(codes(await gql(POLICIES)).length).toBeGreaterThan(0);
    }
    // A staff member's token with a brand it is not granted is refused.
    expect(codes(await as.voltManagerInNimbus(CALENDAR))).not.toEqual([]);
  });

  it('a ticket’s clock is for staff only', async () => {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'sla-iso' });
    const raised = await customer.gql('mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ticket { id } } }', {
      input: { category: 'OTHER', subject: 'Iso', description: 'Clock' },
    });
    const id = raised.body.data?.ticketCreate.ticket.id;
    const q = `{ ticket(id: "${id}") { sla { policyName } } }`;
    expect((await as.agent(q)).body.data?.ticket.sla.policyName).toBe('Standard');
    expect(distinctCodes(await customer.gql(q))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(await as.nimbusAgent(q))).toEqual(['NOT_FOUND']);
  });
});

describe('SLA writes', () => {
  it('a calendar is set for the acting brand only; agents without ticket:admin and ungranted brands change nothing', async () => {
    for (const [what, gql, refusal] of [
      ['agent without ticket:admin', as.agent, 'FORBIDDEN'],
      ['Volt manager with the Nimbus key', as.voltManagerInNimbus, 'HTTP 401'],
      ['customer', as.aoife, 'HTTP 400'],
    ] as const) {
      await expectRefusedAndUnchanged({
        mutation: 'businessCalendarSet',
        what,
        attempt: () => gql(CALENDAR_SET, { input: DEMO_CALENDARS.nimbus }),
        refusal,
        rows: calendarRows,
      });
    }
    const before = await calendarRows();
    succeeded(await as.nimbusAgent(CALENDAR_SET, { input: DEMO_CALENDARS.nimbus }), 'businessCalendarSet');
    const after = (await calendarRows()) as { storefront_id: string }[];
    // Volt's row as it was; Nimbus's set again to the same calendar.
    const volt = seedId('storefront', 'volt');
    expect(after.find((r) => r.storefront_id === volt)).toEqual(
      (before as { storefront_id: string }[]).find((r) => r.storefront_id === volt),
    );
  });

  it("another brand's policy reads like an unknown id and stays unchanged; the owning brand changes it", async () => {
    const created = succeeded(
      await as.voltManager(POLICY_SET, {
        input: { name: 'Iso devices', priority: 'MEDIUM', category: 'DEVICE', segment: 'iso', responseMinutes: 60, resolutionMinutes: 600 },
      }),
      'slaPolicySet',
    ).policy;
    const rows = () => dbRows(stack, 'ticket', 'select * from "ticket"."sla_policy" where id = ?', [created.id]);
    const criteria = { priority: 'MEDIUM', category: 'DEVICE', segment: 'iso' };
    const change = { id: created.id, version: created.version, ...criteria, name: 'Hijacked', responseMinutes: 1, resolutionMinutes: 1 };
    for (const [what, gql, refusal] of [
      ['nimbus staff', as.nimbusAgent, 'NOT_FOUND'],
      ['regional acting in nimbus', as.regionalInNimbus, 'NOT_FOUND'],
      ['volt agent without ticket:admin', as.agent, 'FORBIDDEN'],
      ['partner', as.connectify, 'HTTP 400'],
    ] as const) {
      await expectRefusedAndUnchanged({ mutation: 'slaPolicySet', what, attempt: () => gql(POLICY_SET, { input: change }), refusal, rows });
    }
    const done = succeeded(
      await as.voltManager(POLICY_SET, { input: { ...change, name: 'Iso devices (faster)', responseMinutes: 30, resolutionMinutes: 300 } }),
      'slaPolicySet',
    );
    expect(done.policy).toMatchObject({ name: 'Iso devices (faster)', version: 2 });
  });
});
