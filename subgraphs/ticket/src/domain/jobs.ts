import { dispatchNotifications, isUuid, type JobTaskList, type MikroORM, publishOutbox } from '@dcrm/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Ticket } from '../entities/index.js';
import { autoCloseAt, type LifecycleSettings, lifecycleSettings } from './lifecycle.js';
import type { TicketServices } from './services.js';
import { escalate } from './sla/escalation.js';
import { ESCALATE_TASK, sweepBreaches } from './sla/sync.js';
import { applyMove, autoCloseJobKey, TASKS } from './ticket-move.js';

/** graphile-worker crontab of the ticket subgraph: the outboxes (events, notifications) and a safety net for due automatic closures. */
export const CRONTAB = `* * * * * ${TASKS.periodic}`;

/**
 * Closes a RESOLVED ticket whose confirmation window has passed (SYSTEM move). Re-reads it under a
 * row lock: a reopened, confirmed or already closed ticket is left alone; one resolved again later
 * has its job rescheduled to the new time.
 */
export async function autoClose(em: EntityManager, services: TicketServices, ticketId: string, settings = lifecycleSettings()) {
  const now = services.clock.now();
  return em.transactional(async (tx) => {
    const ticket = await tx.findOne(Ticket, { id: ticketId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (ticket?.status !== 'RESOLVED' || !ticket.resolvedAt) return false;
    const moved = await applyMove(tx, services, settings, ticket, { to: 'CLOSED', actor: 'SYSTEM', actorId: null }, now);
    if ('error' in moved) {
      const runAt = autoCloseAt(ticket.resolvedAt, settings);
      await services.addJob(tx, TASKS.autoClose, { ticketId }, { runAt, jobKey: autoCloseJobKey(ticketId) });
      return false;
    }
    return true;
  });
}

/** Resolved tickets past their window whose job did not run (at most 100 per run). */
async function sweepDue(em: EntityManager, services: TicketServices, settings: LifecycleSettings) {
  const cutoff = new Date(services.clock.now().getTime() - settings.autoCloseDays * 86_400_000);
  const due = await em.find(Ticket, { status: 'RESOLVED', resolvedAt: { $lte: cutoff } }, { fields: ['id'], limit: 100 });
  let closed = 0;
  for (const { id } of due) if (await autoClose(em.fork(), services, id, settings)) closed++;
  return closed;
}

/** The ticket subgraph's job handlers; tests call them through `server.tasks` with a manual clock. */
export function ticketTasks(orm: MikroORM, services: TicketServices): JobTaskList {
  const em = () => orm.em.fork() as EntityManager;
  return {
    [TASKS.autoClose]: async (payload: { ticketId?: unknown }) => {
      if (typeof payload?.ticketId === 'string' && isUuid(payload.ticketId)) await autoClose(em(), services, payload.ticketId);
    },
    // SLA, assignment, escalation: one job per ticket (job key), rescheduled on every change of its clock.
    [ESCALATE_TASK]: async (payload: { ticketId?: unknown }) => {
      if (typeof payload?.ticketId === 'string') await escalate(em(), services, payload.ticketId);
    },
    [TASKS.periodic]: async () => {
      await sweepDue(em(), services, lifecycleSettings());
      await sweepBreaches(em(), services.clock.now());
      await publishOutbox(em(), services.bus, 'ticket', services.clock.now());
      // Notifications whose first send after commit could not reach the customer service.
      await dispatchNotifications(em(), services.peers('customer'), 'ticket');
    },
  };
}
