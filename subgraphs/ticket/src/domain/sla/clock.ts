import { addBusinessTime, type BusinessCalendar, businessTimeBetween, type Pause, slaClock } from '@dcrm/kit';
import type { StoredPause, TicketStatus } from '../../entities/index.js';

/**
 * A ticket's two SLA clocks, read exactly with kit's `slaClock` on the calendar the ticket was given.
 * Pure: the caller passes `now`.
 *
 * - Both start when the ticket was raised and stand still during its pauses: while PENDING on the
 *   customer, and the time it sat RESOLVED before being reopened.
 * - The response clock stops at the first response (`firstRespondedAt`: a staff member's first public
 *   comment or move), or when the ticket ends unanswered (cancelled, rejected).
 * - The resolution clock stops at RESOLVED (`resolvedAt`; CLOSED keeps it), or at CANCELLED/REJECTED.
 * - A stopped clock is read at its stop: breached when it stopped at or after its due time.
 * - `remainingMinutes` is the resolution clock's business minutes left (0 once breached), null once stopped.
 */
export type SlaState = {
  calendar: BusinessCalendar;
  responseMinutes: number;
  resolutionMinutes: number;
  pauses: readonly StoredPause[];
};

export type TicketTimes = {
  status: TicketStatus;
  createdAt: Date;
  statusChangedAt: Date;
  firstRespondedAt?: Date | null;
  resolvedAt?: Date | null;
};

export type SlaReading = {
  responseDueAt: Date;
  resolutionDueAt: Date;
  responseBreached: boolean;
  resolutionBreached: boolean;
  breached: boolean;
  remainingMinutes: number | null;
  paused: boolean;
  responseStopped: boolean;
  resolutionStopped: boolean;
  /** Business minutes the resolution clock has run (exact, fractional). */
  elapsedMinutes: number;
};

const ENDED: readonly TicketStatus[] = ['CANCELLED', 'REJECTED'];

export const toPauses = (stored: readonly StoredPause[]): Pause[] =>
  stored.map((p) => ({ from: new Date(p.from), to: p.to == null ? null : new Date(p.to) }));

/** When the resolution clock stopped, or null while it runs. */
export function resolutionStop(t: TicketTimes): Date | null {
  if ((t.status === 'RESOLVED' || t.status === 'CLOSED') && t.resolvedAt) return t.resolvedAt;
  if (ENDED.includes(t.status)) return t.statusChangedAt;
  return null;
}

/** When the response clock stopped, or null while it runs. */
export function responseStop(t: TicketTimes): Date | null {
  if (t.firstRespondedAt) return t.firstRespondedAt;
  return resolutionStop(t);
}

export function readSla(state: SlaState, ticket: TicketTimes, now: Date): SlaReading {
  const pauses = toPauses(state.pauses);
  const responseAt = responseStop(ticket);
  const resolutionAt = resolutionStop(ticket);
  const at = (stop: Date | null) => (stop && stop.getTime() < now.getTime() ? stop : now);
  const response = slaClock({
    calendar: state.calendar,
    startedAt: ticket.createdAt,
    targetMinutes: state.responseMinutes,
    pauses,
    now: at(responseAt),
  });
  const resolution = slaClock({
    calendar: state.calendar,
    startedAt: ticket.createdAt,
    targetMinutes: state.resolutionMinutes,
    pauses,
    now: at(resolutionAt),
  });
  return {
    responseDueAt: response.dueAt,
    resolutionDueAt: resolution.dueAt,
    responseBreached: response.breached,
    resolutionBreached: resolution.breached,
    breached: response.breached || resolution.breached,
    remainingMinutes: resolutionAt ? null : resolution.remainingMinutes,
    paused: !resolutionAt && resolution.paused,
    responseStopped: !!responseAt,
    resolutionStopped: !!resolutionAt,
    elapsedMinutes: businessTimeBetween(state.calendar, ticket.createdAt, at(resolutionAt), pauses),
  };
}

/**
 * Pauses after a life-cycle move: entering PENDING opens one, leaving PENDING closes it, and reopening
 * a resolved ticket adds the time it sat resolved (its clock resumes where it stopped).
 */
export function pausesAfterMove(
  pauses: readonly StoredPause[],
  from: TicketStatus,
  to: TicketStatus,
  now: Date,
  resolvedAt: Date | null | undefined,
): StoredPause[] {
  const out = pauses.map((p) => ({ ...p }));
  const iso = now.toISOString();
  if (from === 'PENDING' && to !== 'PENDING') for (const p of out) if (p.to == null) p.to = iso;
  if (to === 'PENDING' && from !== 'PENDING' && !out.some((p) => p.to == null)) out.push({ from: iso, to: null });
  if (from === 'RESOLVED' && !['CLOSED', 'RESOLVED'].includes(to) && resolvedAt && resolvedAt < now)
    out.push({ from: resolvedAt.toISOString(), to: iso });
  return out;
}

/**
 * Escalation levels: 1 = warning at 80% of the resolution target, 2 = breach at 100%, then one more
 * level every further 50% (each climbs one manager up the assignee's chain), up to MAX_LEVEL.
 */
export const MAX_ESCALATION_LEVEL = 6;
export const levelFraction = (level: number): number => (level <= 1 ? 0.8 : 1 + 0.5 * (level - 2));

/** The highest level whose threshold `elapsedMinutes` of a `target` has reached (0: none yet). */
export function levelReached(elapsedMinutes: number, target: number): number {
  let level = 0;
  // A millisecond's slack: the job runs at the threshold's exact instant.
  while (level < MAX_ESCALATION_LEVEL && elapsedMinutes >= levelFraction(level + 1) * target - 1 / 60_000) level += 1;
  return level;
}

/** When the level after `level` falls due: null when none is left, or the clock is stopped or paused open-endedly. */
export function nextEscalationAt(state: SlaState, ticket: TicketTimes, level: number): Date | null {
  if (level >= MAX_ESCALATION_LEVEL || resolutionStop(ticket)) return null;
  return addBusinessTime(state.calendar, ticket.createdAt, levelFraction(level + 1) * state.resolutionMinutes, toPauses(state.pauses));
}
