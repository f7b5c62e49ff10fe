import {
  type DirectoryCaller,
  enqueueEvent,
  isUuid,
  loggerFor,
  newId,
  notifyStaff,
  type StaffContact,
  staffManagerChain,
  TICKET_EVENTS,
  type TicketEscalatedEvent,
} from '@dcrm/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Ticket, TicketSla } from '../../entities/index.js';
import { publishCommitted } from '../events.js';
import type { TicketServices } from '../services.js';
import { dueLevel, schedule, store } from './sync.js';

export const REASONS: Record<number, TicketEscalatedEvent['reason']> = { 1: 'WARNING', 2: 'BREACH' };
const reasonOf = (level: number) => REASONS[level] ?? 'ESCALATED';
const REASON_TEXT = {
  WARNING: '80% of the resolution time has passed',
  BREACH: 'the resolution target is breached',
  ESCALATED: 'the resolution target is breached and the ticket is still open',
};

export const directoryCaller = (services: TicketServices, storefrontId: string): DirectoryCaller => ({
  customer: services.peers('customer'),
  source: 'ticket',
  storefrontId,
});

export type EscalationOutcome = { level: number; escalatedTo: StaffContact | null } | null;

/**
 * The escalation job of one ticket (job key `ticket-escalation:<id>`). It re-reads the ticket and its
 * clock, stores due times and breaches, and when the clock has reached a level above the one recorded:
 * records that level (at most once per level: the update happens under a row lock, and the level never
 * goes back), emits `ticket.escalated` through the outbox and tells the manager at that level of the
 * assignee's chain (level 1 the assignee's manager, level 2 theirs, …; the top of the chain takes any
 * level beyond it) with the `ticket.escalated` template, after the commit. Then it schedules itself for
 * the next threshold. The chain is read before the transaction (never a call inside one).
 */
export async function escalate(em: EntityManager, services: TicketServices, ticketId: string): Promise<EscalationOutcome> {
  if (!isUuid(ticketId)) return null;
  const now = services.clock.now();
  const peek = await em.fork().findOne(Ticket, { id: ticketId });
  if (!peek) return null;
  // Who is above the assignee, asked before the transaction; empty when nobody is assigned.
  const chain = peek.assigneeStaffId ? await staffManagerChain(directoryCaller(services, peek.storefrontId), peek.assigneeStaffId) : [];
  const top = Math.max(2, chain.length);
  let eventId: string | null = null;
  const outcome = await em.transactional(async (tx): Promise<EscalationOutcome> => {
    const ticket = await tx.findOne(Ticket, { id: ticketId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const sla = ticket && (await tx.findOne(TicketSla, { ticketId }));
    if (!ticket || !sla) return null;
    const reading = store(sla, ticket, now);
    // The breach flag without a version bump: an agent's open edit is not made stale by the clock.
    if (Boolean(ticket.breached) !== reading.breached)
      await tx.execute(`update "ticket"."ticket" set breached = ? where id = ?`, [reading.breached, ticketId]);
    const level = reading.resolutionStopped ? 0 : Math.min(dueLevel(sla, reading), top);
    let result: EscalationOutcome = null;
    if (level > sla.escalationLevel) {
      sla.escalationLevel = level;
      sla.escalatedAt = now;
      const escalatedTo = chain[level - 1] ?? chain.at(-1) ?? null;
      eventId = newId();
      const event: TicketEscalatedEvent = {
        eventId,
        ticketId,
        storefrontId: ticket.storefrontId,
        customerId: ticket.customerId,
        level,
        reason: reasonOf(level),
        escalatedToStaffId: escalatedTo?.id ?? null,
        priority: ticket.priority,
        at: now.toISOString(),
      };
      await enqueueEvent(tx, 'ticket', { id: eventId, type: TICKET_EVENTS.escalated, payload: event, at: now });
      result = { level, escalatedTo };
    }
    // Past the top of the chain nothing is left to escalate; the response due time may still be ahead.
    await schedule(tx, services, sla, ticket, reading, top);
    return result;
  });
  await publishCommitted(em, services, [eventId]);
  if (outcome?.escalatedTo) await tellManager(em, services, ticketId, outcome.level, outcome.escalatedTo);
  return outcome;
}

async function tellManager(em: EntityManager, services: TicketServices, ticketId: string, level: number, to: StaffContact) {
  const ticket = await em.fork().findOne(Ticket, { id: ticketId });
  const sla = await em.fork().findOne(TicketSla, { ticketId });
  if (!ticket) return;
  try {
    await notifyStaff(directoryCaller(services, ticket.storefrontId), [
      {
        staffId: to.id,
        templateKey: 'ticket.escalated',
        dedupeKey: `ticket-escalation:${ticketId}:${level}`,
        variables: {
          ticketId,
          ticketNumber: ticketNumber(ticketId),
          subject: ticket.subject,
          priority: ticket.priority,
          reason: REASON_TEXT[reasonOf(level)],
          assigneeName: null,
          dueAt: sla?.resolutionDueAt?.toISOString() ?? null,
          url: null,
        },
      },
    ]);
  } catch (error) {
    loggerFor('ticket').warn({ err: error, ticketId, level }, 'escalation recorded; the manager could not be told');
  }
}

/** How staff messages name a ticket: the last 8 characters of its id. */
export const ticketNumber = (ticketId: string) => `T-${ticketId.replaceAll('-', '').slice(-8).toUpperCase()}`;
