import { seedId, TICKET_EVENTS, type TicketEscalatedEvent } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT, CREATE, jobRows, MOVE, ok, POLICY_SET, SLA, slaStack } from './sla-support.js';

/**
 * Auto-escalation: the job per ticket (key `ticket-escalation:<id>`), run directly on a manual clock.
 * Tuesday 8 December 2026, 09:00 in Dublin; a policy of its own (COMPLAINT, CRITICAL: 20 minutes to
 * respond, 100 to resolve), so thresholds fall at 80, 100, 150 and 200 business minutes.
 */
let t: Awaited<ReturnType<typeof slaStack>>;
const MIN = 60_000;
const escalated: TicketEscalatedEvent[] = [];
const staff = (key: string) => seedId('staff', key);

beforeAll(async () => {
  t = await slaStack('2026-12-08T09:00:00Z');
  await t.as.admin(POLICY_SET, {
    input: { name: 'Complaints (critical)', priority: 'CRITICAL', category: 'COMPLAINT', responseMinutes: 20, resolutionMinutes: 100 },
  });
  await t.stack.bus.subscribe(TICKET_EVENTS.escalated, (event) => void escalated.push(event as TicketEscalatedEvent));
});
afterAll(() => t.stack.stop());

const escalate = (ticketId: string) => t.task('ticket:escalate')({ ticketId });
const ASSIGN = `mutation ($input: TicketAssignInput!) { ticketAssign(input: $input) { ticket { version } userErrors { code } } }`;

async function raise(subject: string) {
  const raised = await ok(
    t.as.agent,
    CREATE,
    { customerId: t.customer.id, category: 'COMPLAINT', priority: 'CRITICAL', subject, description: 'Escalation test' },
    'ticketCreate',
  );
  const id = raised.ticket.id as string;
  // Assigned to Liam (volt-consumer): his managers are Maeve (volt-manager), then Roisin (regional), then Sam (the all-brands admin).
  const read = (await t.as.agent(`{ ticket(id: "${id}") { version } }`)).body.data?.ticket;
  await ok(t.as.agent, ASSIGN, { id, version: read.version, assigneeStaffId: staff('volt-consumer') }, 'ticketAssign');
  return id;
}
const sla = async (id: string) => (await t.as.agent(`{ ticket(id: "${id}") { version ${SLA} } }`)).body.data?.ticket;
const toldStaff = (ticketId: string) =>
  t.sql<{ staff_id: string; dedupe_key: string }>(
    `select staff_id, dedupe_key from "customer"."notification_sent" where template_key = 'ticket.escalated' and dedupe_key like ? and channel = 'EMAIL' order by created_at`,
    [`ticket-escalation:${ticketId}:%`],
  );

describe('auto-escalation', () => {
  it('warns at 80%, escalates at breach and up the managers, once per level, rescheduling its one job', async () => {
    const id = await raise('Escalate me');
    await t.as.agent(COMMENT, { input: { ticketId: id, body: 'Looking into it' } });
    expect(await jobRows(t.sql, id)).toEqual([{ run_at: '2026-12-08T10:20:00Z', task_identifier: 'ticket:escalate' }]);

    // Too early: nothing happens, the job stays where it was.
    t.clock.set(new Date('2026-12-08T10:00:00Z'));
    await escalate(id);
    expect((await sla(id)).sla.escalationLevel).toBe(0);
    expect(await jobRows(t.sql, id)).toEqual([{ run_at: '2026-12-08T10:20:00Z', task_identifier: 'ticket:escalate' }]);

    // 80 minutes: a warning to the assignee's manager; the next run is at the breach.
    t.clock.set(new Date('2026-12-08T10:20:00Z'));
    await escalate(id);
    await escalate(id); // a repeated run changes nothing
    expect((await sla(id)).sla).toMatchObject({ escalationLevel: 1, breached: false });
    expect(await jobRows(t.sql, id)).toEqual([{ run_at: '2026-12-08T10:40:00Z', task_identifier: 'ticket:escalate' }]);
    expect(await toldStaff(id)).toEqual([{ staff_id: staff('volt-manager'), dedupe_key: `ticket-escalation:${id}:1:EMAIL` }]);
    expect(escalated.filter((e) => e.ticketId === id)).toEqual([
      expect.objectContaining({ level: 1, reason: 'WARNING', escalatedToStaffId: staff('volt-manager'), customerId: t.customer.id }),
    ]);

    // The breach: level 2 goes one manager up, and the ticket is flagged breached.
    t.clock.set(new Date('2026-12-08T10:40:00Z'));
    await escalate(id);
    expect((await sla(id)).sla).toMatchObject({ escalationLevel: 2, breached: true });
    const flagged = await t.sql<{ breached: boolean }>(`select breached from "ticket"."ticket" where id = ?`, [id]);
    expect(flagged).toEqual([{ breached: true }]);
    expect((await toldStaff(id)).map((r) => r.staff_id)).toEqual([staff('volt-manager'), staff('regional-manager')]);
    expect(await jobRows(t.sql, id)).toEqual([{ run_at: '2026-12-08T11:30:00Z', task_identifier: 'ticket:escalate' }]);

    // Late runs jump to the level due (one message, to that level's manager); the top of the chain ends it.
    t.clock.set(new Date('2026-12-08T13:00:00Z'));
    await escalate(id);
    expect((await sla(id)).sla.escalationLevel).toBe(3);
    expect((await toldStaff(id)).map((r) => r.staff_id)).toEqual([
      staff('volt-manager'),
      staff('regional-manager'),
      staff('catalog-admin'),
    ]);
    expect(await jobRows(t.sql, id)).toEqual([]);
    expect(escalated.filter((e) => e.ticketId === id).map((e) => e.level)).toEqual([1, 2, 3]);
  });

  it('a pause removes the job, the resume reschedules it later; resolution removes it for good', async () => {
    t.clock.set(new Date('2026-12-09T09:00:00Z'));
    const id = await raise('Pause me');
    let ticket = await sla(id);
    t.clock.advance(30 * MIN);
    await ok(t.as.agent, MOVE, { id, version: ticket.version, to: 'PENDING', reason: 'Need the bill number' }, 'ticketTransition');
    expect(await jobRows(t.sql, id)).toEqual([]);
    // A job that fires anyway (queued before the pause) escalates nothing while paused.
    t.clock.advance(60 * MIN);
    await escalate(id);
    expect((await sla(id)).sla).toMatchObject({ escalationLevel: 0, paused: true });
    await ok(t.as.customer, COMMENT, { ticketId: id, body: 'It is 4711' }, 'ticketCommentAdd');
    // 80 business minutes: 30 before the pause, 50 from 10:30 on.
    expect(await jobRows(t.sql, id)).toEqual([{ run_at: '2026-12-09T11:20:00Z', task_identifier: 'ticket:escalate' }]);
    ticket = await sla(id);
    await ok(t.as.agent, MOVE, { id, version: ticket.version, to: 'RESOLVED', resolution: 'Refunded' }, 'ticketTransition');
    expect(await jobRows(t.sql, id)).toEqual([]);
    t.clock.set(new Date('2026-12-09T15:00:00Z'));
    await escalate(id);
    // Resolved in time; the first answer (the move to PENDING at 09:30) was 10 minutes late.
    expect((await sla(id)).sla).toMatchObject({ escalationLevel: 0, resolutionBreached: false, responseBreached: true, remaining: null });
  });
});
