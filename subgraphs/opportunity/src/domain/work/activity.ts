import { addBusinessTime, addJob, type BusinessCalendar, DEFAULT_JOB_SCHEMA } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, PipelineStage } from '../../entities/index.js';

/** The escalation job: one per opportunity (its key), moved whenever the opportunity sees activity. */
export const ESCALATION_TASK = 'opportunity:escalation';
export const escalationKey = (opportunityId: string) => `opportunity-escalation:${opportunityId}`;
export type EscalationPayload = { opportunityId: string };

const HOUR = 3_600_000;

/**
 * Idle time is business time: an opportunity idle since `since` reaches escalation `level` (1: the
 * first) once `level` × its stage's `idleLimitHours` of the brand's business calendar have elapsed
 * (kit business-time: opening hours in the brand's time zone, less holidays; a brand without a
 * calendar counts around the clock). Null when the stage has no limit. Pure.
 */
export const idleDueAt = (calendar: BusinessCalendar, since: Date, limitHours: number | null | undefined, level: number): Date | null =>
  limitHours ? addBusinessTime(calendar, since, level * limitHours * 60) : null;

/**
 * The earliest the same level can fall due, whatever the calendar: as many calendar hours (business
 * time never runs faster than the clock). Writes queue the job for then inside their transaction,
 * where the calendar cannot be asked for (another subgraph's); the job reads the calendar and requeues
 * itself for the exact business-time instant.
 */
export const earliestDueAt = (since: Date, limitHours: number | null | undefined, level: number): Date | null =>
  limitHours ? new Date(since.getTime() + level * limitHours * HOUR) : null;

/** (Re)queues the opportunity's escalation check at `runAt` (replacing the queued one), or removes it (null). */
export async function scheduleEscalation(tx: EntityManager, opportunityId: string, runAt: Date | null): Promise<void> {
  if (runAt)
    await addJob(tx, ESCALATION_TASK, { opportunityId } satisfies EscalationPayload, { jobKey: escalationKey(opportunityId), runAt });
  else await tx.execute(`select "${DEFAULT_JOB_SCHEMA}".remove_job(?)`, [escalationKey(opportunityId)]);
}

/**
 * Records activity on an opportunity (a task written, a note, an assignment, a stage move): a new idle
 * period starts now, its escalation level back to 0, and the escalation check moves to the earliest
 * end of the stage's idle limit (`earliestDueAt`). Inside the caller's transaction, so the job moves iff the change commits.
 */
export async function touchActivity(tx: EntityManager, opportunity: IOpportunity, now: Date): Promise<void> {
  await tx.execute(
    `insert into "opportunity"."opportunity_routing" (opportunity_id, storefront_id, last_activity_at, idle_since, escalation_level, updated_at)
     values (?, ?, ?, ?, 0, ?)
     on conflict (opportunity_id) do update set last_activity_at = excluded.last_activity_at, idle_since = excluded.idle_since,
       escalation_level = 0, escalated_at = null, escalated_to = null, updated_at = excluded.updated_at`,
    [opportunity.id, opportunity.storefrontId, now, now, now],
  );
  await rescheduleFor(tx, opportunity, now);
}

/** Queues the check for the earliest end of the opportunity's current idle period (none when closed or its stage has no limit). */
export async function rescheduleFor(tx: EntityManager, opportunity: IOpportunity, since: Date): Promise<void> {
  const stage =
    opportunity.status === 'OPEN'
      ? await tx.findOne(PipelineStage, { storefrontId: opportunity.storefrontId, code: opportunity.stage })
      : null;
  await scheduleEscalation(tx, opportunity.id, earliestDueAt(since, stage?.idleLimitHours, 1));
}
