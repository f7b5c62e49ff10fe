import { enqueueEvent, newId, TICKET_EVENTS, type TicketResolvedEvent } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ActorKind, type ITicket, type TicketStatus, TicketStatusChange } from '../entities/index.js';
import { autoCloseAt, checkMove, type LifecycleSettings } from './lifecycle.js';
import type { TicketServices } from './services.js';
import { slaSync } from './sla/sync.js';
import type { UserError } from './ticket.errors.js';

export const TASKS = { autoClose: 'ticket:auto-close', periodic: 'ticket:periodic' } as const;
/** One auto-close job per ticket: every resolution replaces it, so it never runs twice for one. */
export const autoCloseJobKey = (ticketId: string) => `ticket:auto-close:${ticketId}`;

export type MoveBy = { to: TicketStatus; actor: ActorKind; actorId: string | null; reason?: string | null; resolution?: string | null };

/**
 * Applies one life-cycle move inside the caller's transaction, as the table allows: the ticket's
 * times, the history row, and on resolution the `ticket.resolved` event (outbox) and the auto-close
 * job. Returns the refusal instead when the move is not allowed. The event's id, if any, is returned
 * so the caller can publish it after the commit.
 */
export async function applyMove(
  tx: EntityManager,
  services: TicketServices,
  settings: LifecycleSettings,
  ticket: ITicket,
  by: MoveBy,
  now: Date,
): Promise<{ error: UserError } | { eventId: string | null }> {
  const error = checkMove(ticket, by, now, settings);
  if (error) return { error };
  const from = ticket.status;
  ticket.status = by.to;
  ticket.statusChangedAt = now;
  ticket.statusReason = by.reason?.trim() || null;
  if (by.actor === 'STAFF' && !ticket.firstRespondedAt) ticket.firstRespondedAt = now;
  let eventId: string | null = null;
  if (by.to === 'RESOLVED') {
    ticket.resolvedAt = now;
    ticket.resolution = by.resolution?.trim() ?? null;
    eventId = newId();
    const event: TicketResolvedEvent = {
      eventId,
      ticketId: ticket.id,
      storefrontId: ticket.storefrontId,
      customerId: ticket.customerId,
      category: ticket.category,
      priority: ticket.priority,
      at: now.toISOString(),
    };
    await enqueueEvent(tx, 'ticket', { id: eventId, type: TICKET_EVENTS.resolved, payload: event, at: now });
    await services.addJob(
      tx,
      TASKS.autoClose,
      { ticketId: ticket.id },
      { runAt: autoCloseAt(now, settings), jobKey: autoCloseJobKey(ticket.id) },
    );
  }
  if (by.to === 'CLOSED') ticket.closedAt = now;
  tx.create(TicketStatusChange, {
    ticketId: ticket.id,
    storefrontId: ticket.storefrontId,
    fromStatus: from,
    toStatus: by.to,
    actorKind: by.actor,
    actorId: by.actorId,
    reason: by.to === 'RESOLVED' ? (by.resolution?.trim() ?? null) : by.reason?.trim() || null,
    at: now,
  });
  // SLA, assignment, escalation: pauses, stops and the escalation job follow the move.
  await slaSync(tx, services, ticket, now, { from });
  return { eventId };
}
