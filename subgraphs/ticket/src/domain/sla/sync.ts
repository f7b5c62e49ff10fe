import { type BusinessCalendar, DEFAULT_JOB_SCHEMA } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BusinessCalendarRow, type ITicket, type ITicketSla, SlaPolicy, TicketSla, type TicketStatus } from '../../entities/index.js';
import type { TicketServices } from '../services.js';
import { levelReached, MAX_ESCALATION_LEVEL, nextEscalationAt, pausesAfterMove, readSla, type SlaReading } from './clock.js';
import { selectPolicy } from './policy.js';

export const ESCALATE_TASK = 'ticket:escalate';
/** One escalation job per ticket: every change that moves its clock replaces it (graphile-worker job key). */
export const escalationJobKey = (ticketId: string) => `ticket-escalation:${ticketId}`;

/** A storefront without a calendar of its own runs its clocks around the clock, in UTC. */
export const ALWAYS_OPEN: BusinessCalendar = { timeZone: 'UTC', alwaysOpen: true, weekly: [], holidays: [] };

export async function calendarOf(em: EntityManager, storefrontId: string): Promise<BusinessCalendar> {
  return (await em.findOne(BusinessCalendarRow, { storefrontId }))?.calendar ?? ALWAYS_OPEN;
}

export type SlaChange = {
  /** The status the ticket left (a life-cycle move): pauses open and close with it. */
  from?: TicketStatus;
  /** Choose the policy again (creation; priority, category changes). */
  retarget?: boolean;
};

/**
 * Keeps a ticket's SLA clock in step with a change, inside the caller's transaction: resolves the policy
 * on creation (and again when priority or category change), records pauses, stores due times and
 * breaches (`ticket.breached` included) and reschedules the ticket's one escalation job for its next
 * threshold — or removes it when the clock has stopped or is paused. A ticket with no matching policy
 * has no clock. Returns the reading, or null.
 */
export async function slaSync(
  tx: EntityManager,
  services: TicketServices,
  ticket: ITicket,
  now: Date,
  change: SlaChange = {},
): Promise<SlaReading | null> {
  let sla = await tx.findOne(TicketSla, { ticketId: ticket.id });
  if (!sla || change.retarget) {
    const policies = await tx.find(SlaPolicy, { storefrontId: ticket.storefrontId, active: true });
    const policy = selectPolicy(policies, { priority: ticket.priority, category: ticket.category, segment: ticket.segment });
    if (policy && !sla) {
      sla = tx.create(TicketSla, {
        ticketId: ticket.id,
        storefrontId: ticket.storefrontId,
        policyId: policy.id,
        policyName: policy.name,
        responseMinutes: policy.responseMinutes,
        resolutionMinutes: policy.resolutionMinutes,
        calendar: await calendarOf(tx, ticket.storefrontId),
        pauses: [],
        createdAt: now,
        updatedAt: now,
      });
    } else if (policy && sla && policy.id !== sla.policyId) {
      Object.assign(sla, {
        policyId: policy.id,
        policyName: policy.name,
        responseMinutes: policy.responseMinutes,
        resolutionMinutes: policy.resolutionMinutes,
      });
    }
  }
  if (!sla) return null;
  if (change.from && change.from !== ticket.status) {
    sla.pauses = pausesAfterMove(sla.pauses, change.from, ticket.status, now, ticket.resolvedAt);
  }
  const reading = store(sla, ticket, now);
  if (Boolean(ticket.breached) !== reading.breached) ticket.breached = reading.breached;
  await schedule(tx, services, sla, ticket, reading);
  return reading;
}

/** Writes a reading onto the clock row. */
export function store(sla: ITicketSla, ticket: ITicket, now: Date): SlaReading {
  const reading = readSla(sla, ticket, now);
  sla.responseDueAt = reading.responseDueAt;
  sla.resolutionDueAt = reading.resolutionDueAt;
  sla.responseBreached = reading.responseBreached;
  sla.resolutionBreached = reading.resolutionBreached;
  sla.paused = reading.paused;
  return reading;
}

/**
 * The escalation job's next run: the next escalation threshold, or the response due time when that comes
 * first (the stored breach flag must turn at it). Removed when neither is ahead.
 */
export async function schedule(
  tx: EntityManager,
  services: TicketServices,
  sla: ITicketSla,
  ticket: ITicket,
  reading: SlaReading,
  topLevel = MAX_ESCALATION_LEVEL,
) {
  const level = sla.escalationLevel;
  const candidates = [
    level >= topLevel || reading.paused || reading.resolutionStopped ? null : nextEscalationAt(sla, ticket, level),
    reading.responseStopped || reading.responseBreached || reading.paused ? null : reading.responseDueAt,
  ].filter((d): d is Date => d != null);
  const key = escalationJobKey(ticket.id);
  if (!candidates.length) {
    await tx.execute(`select "${DEFAULT_JOB_SCHEMA}".remove_job(?)`, [key]);
    return null;
  }
  const runAt = new Date(Math.min(...candidates.map((d) => d.getTime())));
  await services.addJob(tx, ESCALATE_TASK, { ticketId: ticket.id }, { runAt, jobKey: key });
  return runAt;
}

/** The level a clock has reached now (0 while none), as the escalation job decides it. */
export const dueLevel = (sla: ITicketSla, reading: SlaReading) => levelReached(reading.elapsedMinutes, sla.resolutionMinutes);

/**
 * The safety net behind the escalation jobs: open tickets whose stored due time has passed are flagged
 * breached (at most 500 a run; the next run takes the rest). No version bump, as in the job.
 */
export async function sweepBreaches(em: EntityManager, now: Date): Promise<number> {
  const rows = (await em.execute(
    `with due as (
       select t.id from "ticket"."ticket" t join "ticket"."ticket_sla" s on s.ticket_id = t.id
       where not t.breached and t.status in ('ACKNOWLEDGED', 'IN_PROGRESS', 'HELD')
         and (s.resolution_due_at <= ? or (t.first_responded_at is null and s.response_due_at <= ?))
       limit 500)
     update "ticket"."ticket" t set breached = true from due where t.id = due.id returning t.id`,
    [now, now],
  )) as { id: string }[];
  return rows.length;
}
