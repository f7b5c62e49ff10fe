import { loggerFor, publishOutbox } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TicketServices } from './services.js';

/** Publishes events just committed; a failure leaves them to the periodic task (consumers dedupe by eventId). */
export async function publishCommitted(em: EntityManager, services: TicketServices, eventIds: (string | null)[]): Promise<void> {
  const ids = eventIds.filter((id): id is string => !!id);
  if (!ids.length) return;
  try {
    await publishOutbox(em.fork(), services.bus, 'ticket', services.clock.now(), ids);
  } catch (error) {
    loggerFor('ticket').warn({ err: error, eventIds: ids }, 'ticket events left for the outbox dispatcher');
  }
}
