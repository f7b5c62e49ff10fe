import { dispatchNotifications, publishPending } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OpportunityServices } from './services.js';

/**
 * The opportunity subgraph's periodic work, for a job runner's cron task (tests call it directly):
 * domain events a crash or a bus outage left unpublished, and notifications whose first send after
 * commit could not reach the customer service.
 */
export async function runPeriodic(em: EntityManager, services: OpportunityServices) {
  const events = await publishPending(em, services.bus, services.clock.now());
  const notifications = await dispatchNotifications(em, services.peers('customer'), 'opportunity');
  return { events, notifications };
}
