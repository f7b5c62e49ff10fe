import type { ActorKind, ITicket, TicketStatus } from '../entities/index.js';
import type { ErrorCode, UserError } from './ticket.errors.js';

/**
 * The ticket life cycle (TMF621 states) as data. Each allowed move names who may make it and what it
 * needs: a reason, a resolution, or a guard. Anything not listed is refused (INVALID_TRANSITION);
 * CLOSED, CANCELLED and REJECTED are final.
 *
 * - Staff (with `ticket:write`) work the ticket: in progress, pending on the customer, held on a third
 *   party, resolved (with a resolution), rejected (with a reason), closed after resolution.
 * - Whoever raised it — the customer, the account's partner — may cancel it before it is resolved,
 *   reopen it within the reopen window after resolution, and (customers) confirm the resolution.
 * - A customer's reply to a ticket PENDING on them moves it back to IN_PROGRESS (the SLA clock resumes).
 * - The system closes a resolved ticket once the confirmation window has passed.
 */
export type Move = {
  by: readonly ActorKind[];
  /** A reason is required (kept in the history and as the ticket's status reason). */
  reason?: boolean;
  /** A resolution text is required. */
  resolution?: boolean;
  /** Only within `reopenDays` of the resolution. */
  reopenWindow?: boolean;
  /** Only once `autoCloseDays` have passed since the resolution. */
  closeWindow?: boolean;
};

const WORK: readonly ActorKind[] = ['STAFF'];
const OWNERS: readonly ActorKind[] = ['CUSTOMER', 'PARTNER', 'STAFF'];

export const TRANSITIONS: Record<TicketStatus, Partial<Record<TicketStatus, Move>>> = {
  ACKNOWLEDGED: {
    IN_PROGRESS: { by: WORK },
    PENDING: { by: WORK, reason: true },
    HELD: { by: WORK, reason: true },
    RESOLVED: { by: WORK, resolution: true },
    REJECTED: { by: WORK, reason: true },
    CANCELLED: { by: OWNERS },
  },
  IN_PROGRESS: {
    PENDING: { by: WORK, reason: true },
    HELD: { by: WORK, reason: true },
    RESOLVED: { by: WORK, resolution: true },
    REJECTED: { by: WORK, reason: true },
    CANCELLED: { by: OWNERS },
  },
  PENDING: {
    IN_PROGRESS: { by: ['STAFF', 'CUSTOMER', 'PARTNER'] },
    HELD: { by: WORK, reason: true },
    RESOLVED: { by: WORK, resolution: true },
    CANCELLED: { by: OWNERS },
  },
  HELD: {
    IN_PROGRESS: { by: WORK },
    PENDING: { by: WORK, reason: true },
    RESOLVED: { by: WORK, resolution: true },
    CANCELLED: { by: OWNERS },
  },
  RESOLVED: {
    CLOSED: { by: ['CUSTOMER', 'STAFF'] },
    IN_PROGRESS: { by: OWNERS, reason: true, reopenWindow: true },
  },
  CLOSED: {},
  CANCELLED: {},
  REJECTED: {},
};

/** The system's own moves (jobs), outside what any caller may do. */
export const SYSTEM_TRANSITIONS: Partial<Record<TicketStatus, Partial<Record<TicketStatus, Move>>>> = {
  RESOLVED: { CLOSED: { by: ['SYSTEM'], closeWindow: true } },
};

export type LifecycleSettings = { reopenDays: number; autoCloseDays: number };

const days = (name: string, fallback: number, env: NodeJS.ProcessEnv) => {
  const value = Number(env[name] ?? fallback);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};

/** `DCRM_TICKET_REOPEN_DAYS` (default 14) and `DCRM_TICKET_AUTOCLOSE_DAYS` (default 7). */
export const lifecycleSettings = (env: NodeJS.ProcessEnv = process.env): LifecycleSettings => ({
  reopenDays: days('DCRM_TICKET_REOPEN_DAYS', 14, env),
  autoCloseDays: days('DCRM_TICKET_AUTOCLOSE_DAYS', 7, env),
});

const DAY = 86_400_000;

/** When a resolved ticket closes by itself. */
export const autoCloseAt = (resolvedAt: Date, settings: LifecycleSettings) => new Date(resolvedAt.getTime() + settings.autoCloseDays * DAY);

export type MoveRequest = { to: TicketStatus; actor: ActorKind; reason?: string | null; resolution?: string | null };

const refuse = (code: ErrorCode, message: string, field?: string): UserError => ({
  code,
  message,
  field: field ? ['input', field] : null,
});

/** Null when `actor` may move `ticket` to `to` now; otherwise why not. Pure: the caller passes the time. */
export function checkMove(
  ticket: Pick<ITicket, 'status' | 'resolvedAt'>,
  request: MoveRequest,
  now: Date,
  settings: LifecycleSettings,
): UserError | null {
  const table = request.actor === 'SYSTEM' ? SYSTEM_TRANSITIONS : TRANSITIONS;
  const move = table[ticket.status as TicketStatus]?.[request.to];
  if (!move) return refuse('INVALID_TRANSITION', `A ${ticket.status} ticket cannot move to ${request.to}`, 'status');
  if (!move.by.includes(request.actor)) return refuse('FORBIDDEN', `Not allowed to move a ticket to ${request.to}`, 'status');
  if (move.reason && !request.reason?.trim()) return refuse('REQUIRED', 'A reason is required', 'reason');
  if (move.resolution && !request.resolution?.trim()) return refuse('REQUIRED', 'A resolution is required', 'resolution');
  const resolvedAt = ticket.resolvedAt?.getTime() ?? now.getTime();
  if (move.reopenWindow && now.getTime() > resolvedAt + settings.reopenDays * DAY) {
    return refuse('REOPEN_WINDOW_PASSED', `Resolved more than ${settings.reopenDays} days ago: raise a new ticket`, 'status');
  }
  if (move.closeWindow && now.getTime() < autoCloseAt(ticket.resolvedAt ?? now, settings).getTime()) {
    return refuse('TOO_EARLY', 'The confirmation window has not passed', 'status');
  }
  return null;
}

/** Moves the customer or partner may make at all (the UI's buttons); staff see the whole table. */
export function movesFor(status: TicketStatus, actor: ActorKind): TicketStatus[] {
  return Object.entries(TRANSITIONS[status])
    .filter(([, move]) => move?.by.includes(actor))
    .map(([to]) => to as TicketStatus);
}
