import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, distinctCodes } from '../../../tests/support/stack.js';
import { DEMO_CALENDARS } from '../src/seed/sla.js';
import { COMMENT, CREATE, jobRows, MOVE, ok, POLICY_SET, SLA, slaStack } from './sla-support.js';

/**
 * Business calendars, SLA policies and ticket clocks through the router, on a manual clock: Monday
 * 7 December 2026, 10:00 in Dublin (GMT). Policies here are for COMPLAINT tickets, which no other test raises.
 */
let t: Awaited<ReturnType<typeof slaStack>>;
const MIN = 60_000;

beforeAll(async () => {
  t = await slaStack('2026-12-07T10:00:00Z');
});
afterAll(() => t.stack.stop());

const CALENDAR_SET = `mutation ($input: BusinessCalendarSetInput!) { businessCalendarSet(input: $input) {
  calendar { timeZone alwaysOpen weekly { day from to } holidays { date from to name } updatedAt } userErrors { code field } } }`;

describe('business calendars and SLA policies', () => {
  it('staff with ticket:admin set the storefront calendar, checked as a whole; agents read it but cannot', async () => {
    const input = DEMO_CALENDARS.volt;
    const { calendar } = await ok(t.as.admin, CALENDAR_SET, input, 'businessCalendarSet');
    expect(calendar).toMatchObject({ timeZone: 'Europe/Dublin', alwaysOpen: false });
    expect(calendar.weekly).toHaveLength(6);
    expect(calendar.holidays[0]).toEqual({ date: '2026-12-24', from: '13:00', to: '20:00', name: 'Christmas Eve (afternoon)' });
    const bad = await t.as.admin(CALENDAR_SET, {
      input: {
        timeZone: 'Mars/Olympus',
        weekly: [
          { day: 'MONDAY', from: '09:00', to: '12:00' },
          { day: 'MONDAY', from: '11:00', to: '13:00' },
        ],
      },
    });
    expect(bad.body.data?.businessCalendarSet.userErrors.map((e: { code: string }) => e.code).sort()).toEqual(['INVALID', 'OVERLAP']);
    expect(distinctCodes(await t.as.agent(CALENDAR_SET, { input }))).toEqual(['FORBIDDEN']);
    const read = await t.as.agent('{ businessCalendar { timeZone holidays { date } } }');
    expect(read.body.data?.businessCalendar.timeZone).toBe('Europe/Dublin');
    expect(codes(await t.as.customer('{ businessCalendar { timeZone } }'))).not.toEqual([]);
  });

  it('policies: created and changed with their version; one per combination of criteria; listed most specific first', async () => {
    const input = { name: 'Complaints (low)', priority: 'LOW', category: 'COMPLAINT', responseMinutes: 60, resolutionMinutes: 240 };
    const { policy } = await ok(t.as.admin, POLICY_SET, input, 'slaPolicySet');
    expect(policy).toMatchObject({ ...input, segment: null, active: true, version: 1 });
    const again = await t.as.admin(POLICY_SET, { input });
    expect(again.body.data?.slaPolicySet.userErrors).toEqual([{ code: 'TAKEN', field: ['input', 'priority'] }]);
    const stale = await t.as.admin(POLICY_SET, { input: { ...input, id: policy.id, version: 0 } });
    expect(stale.body.data?.slaPolicySet.userErrors[0].code).toBe('CONFLICT');
    const slower = { ...input, id: policy.id, version: 1, responseMinutes: 300 };
    expect((await t.as.admin(POLICY_SET, { input: slower })).body.data?.slaPolicySet.userErrors[0].code).toBe('INVALID');
    await ok(
      t.as.admin,
      POLICY_SET,
      { name: 'Complaints (high)', priority: 'HIGH', category: 'COMPLAINT', responseMinutes: 30, resolutionMinutes: 120 },
      'slaPolicySet',
    );
    expect(distinctCodes(await t.as.agent(POLICY_SET, { input: { ...input, priority: 'MEDIUM' } }))).toEqual(['FORBIDDEN']);
    const list = (await t.as.agent('{ slaPolicies { name priority category segment } }')).body.data?.slaPolicies;
    // Most specific first — priority outweighs category, category outweighs segment — whatever policies other
    // test files add meanwhile.
    type Row = { name: string; priority: string | null; category: string | null; segment: string | null };
    const criteria = (p: Row) => (p.priority ? 4 : 0) + (p.category ? 2 : 0) + (p.segment ? 1 : 0);
    const counts = (list as Row[]).map(criteria);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(list.map((p: Row) => p.name)).toEqual(expect.arrayContaining(['Complaints (low)', 'Complaints (high)']));
    expect(list.at(-1)).toMatchObject({ priority: null, category: null, segment: null });
  });
});

describe('a ticket’s clocks', () => {
  it('start with the policy; the response stops at the first staff answer; PENDING pauses; breaches are stored', async () => {
    const raised = await ok(
      t.as.customer,
      CREATE,
      { category: 'COMPLAINT', priority: 'LOW', subject: 'Rude call', description: 'On Friday' },
      'ticketCreate',
    );
    const id = raised.ticket.id;
    const read = async () => (await t.as.agent(`{ ticket(id: "${id}") { version status ${SLA} } }`)).body.data?.ticket;
    let ticket = await read();
    expect(ticket.sla).toMatchObject({
      policyName: 'Complaints (low)',
      responseDueAt: '2026-12-07T11:00:00.000Z',
      resolutionDueAt: '2026-12-07T14:00:00.000Z',
      breached: false,
      remaining: 240,
      paused: false,
      escalationLevel: 0,
    });
    // Customers never see the clock.
    expect(codes(await t.as.customer(`{ ticket(id: "${id}") { ${SLA} } }`))).toContain('GRAPHQL_VALIDATION_FAILED');
    // Its escalation job waits for the first threshold: the response due time comes first.
    expect(await jobRows(t.sql, id)).toEqual([{ run_at: '2026-12-07T11:00:00Z', task_identifier: 'ticket:escalate' }]);

    t.clock.advance(30 * MIN);
    await ok(
      t.as.agent,
      COMMENT,
      { ticketId: id, body: 'Sorry to hear that: could you tell us the time of the call?' },
      'ticketCommentAdd',
    );
    ticket = await read();
    await ok(t.as.agent, MOVE, { id, version: ticket.version, to: 'PENDING', reason: 'Time of the call' }, 'ticketTransition');
    t.clock.advance(120 * MIN); // 12:30, paused
    ticket = await read();
    expect(ticket.sla).toMatchObject({
      paused: true,
      responseBreached: false,
      remaining: 210,
      resolutionDueAt: '2026-12-07T16:00:00.000Z',
    });
    expect(await jobRows(t.sql, id)).toEqual([]);
    await ok(t.as.customer, COMMENT, { ticketId: id, body: 'Around 3pm' }, 'ticketCommentAdd');
    ticket = await read();
    expect(ticket.status).toBe('IN_PROGRESS');
    expect(ticket.sla).toMatchObject({ paused: false, remaining: 210, resolutionDueAt: '2026-12-07T16:00:00.000Z' });
    // 80% of 240 = 192 minutes: 30 before the pause, 162 after 12:30.
    expect(await jobRows(t.sql, id)).toEqual([{ run_at: '2026-12-07T15:12:00Z', task_identifier: 'ticket:escalate' }]);

    t.clock.set(new Date('2026-12-07T16:00:00Z'));
    ticket = await read();
    expect(ticket.sla).toMatchObject({ breached: true, resolutionBreached: true, remaining: 0 });
    await t.task('ticket:periodic')({});
    const issues = await t.as.customer('{ me { outstandingIssues { openCount breachedCount } } }');
    expect(issues.body.data?.me.outstandingIssues).toEqual({ openCount: 1, breachedCount: 1 });

    ticket = await read();
    await ok(
      t.as.agent,
      MOVE,
      { id, version: ticket.version, to: 'RESOLVED', resolution: 'Apologised; coaching booked' },
      'ticketTransition',
    );
    t.clock.advance(24 * 60 * MIN);
    expect((await read()).sla).toMatchObject({ breached: true, remaining: null, paused: false });
    expect(await jobRows(t.sql, id)).toEqual([]);
  });

  it('another priority chooses another policy and reschedules the one job', async () => {
    t.clock.set(new Date('2026-12-08T10:00:00Z'));
    const raised = await ok(
      t.as.customer,
      CREATE,
      { category: 'COMPLAINT', priority: 'LOW', subject: 'Wrong bill', description: 'Twice' },
      'ticketCreate',
    );
    const id = raised.ticket.id;
    const update = `mutation ($input: TicketUpdateInput!) { ticketUpdate(input: $input) { ticket { ${SLA} } userErrors { code } } }`;
    const { ticket } = await ok(t.as.agent, update, { id, version: raised.ticket.version, priority: 'HIGH' }, 'ticketUpdate');
    expect(ticket.sla).toMatchObject({
      policyName: 'Complaints (high)',
      responseDueAt: '2026-12-08T10:30:00.000Z',
      resolutionDueAt: '2026-12-08T12:00:00.000Z',
    });
    expect(await jobRows(t.sql, id)).toEqual([{ run_at: '2026-12-08T10:30:00Z', task_identifier: 'ticket:escalate' }]);
  });

  it('a ticket no policy matches has no clock; a brand’s calendar closes its clocks at night and on holidays', async () => {
    t.clock.set(new Date('2026-12-24T12:00:00Z')); // Christmas Eve, Volt closes at 13:00
    const raised = await ok(
      t.as.customer,
      CREATE,
      { category: 'COMPLAINT', priority: 'MEDIUM', subject: 'Shop', description: 'Closed early' },
      'ticketCreate',
    );
    const sla = (await t.as.agent(`{ ticket(id: "${raised.ticket.id}") { ${SLA} } }`)).body.data?.ticket.sla;
    // The demo's Standard policy (8 business hours to respond): 1 hour on the 24th, then Sunday 27th is closed, Monday 28th from 08:00.
    expect(sla).toMatchObject({ policyName: 'Standard', responseDueAt: '2026-12-28T15:00:00.000Z' });
  });
});

describe('assignment', () => {
  it('a new ticket goes to the brand’s support team, to its least loaded agent, who is told', async () => {
    t.clock.set(new Date('2026-12-09T10:00:00Z'));
    const raised = await ok(
      t.as.customer,
      CREATE,
      { category: 'COMPLAINT', priority: 'LOW', subject: 'Queue', description: 'Long wait' },
      'ticketCreate',
    );
    const assignment = async (id: string) =>
      (await t.as.agent(`{ ticket(id: "${id}") { teamId assignee { id } } }`)).body.data?.ticket as {
        teamId: string;
        assignee: { id: string };
      };
    const first = await assignment(raised.ticket.id);
    expect(first.teamId).toBe(seedId('team', 'volt-care'));
    const members = [seedId('staff', 'volt-consumer'), seedId('staff', 'volt-business')];
    expect(members).toContain(first.assignee.id);
    const told = await t.sql<{ template_key: string }>(
      `select template_key from "customer"."notification_sent" where staff_id = ? and template_key = 'ticket.assigned' and body like ?`,
      [first.assignee.id, '%Queue%'],
    );
    expect(told.length).toBeGreaterThan(0);
    // The next one goes to the other agent when both carry the same load, or to the lighter one.
    const next = await ok(
      t.as.customer,
      CREATE,
      { category: 'COMPLAINT', priority: 'LOW', subject: 'Queue 2', description: 'Again' },
      'ticketCreate',
    );
    expect(members).toContain((await assignment(next.ticket.id)).assignee.id);
  });
});
