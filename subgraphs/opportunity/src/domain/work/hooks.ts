import { loggerFor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { IOpportunity } from '../../entities/index.js';
import type { OpportunityServices } from '../services.js';
import { touchActivity } from './activity.js';
import { routeNew } from './assignment.js';

/**
 * What the pipeline's writes trigger here, after they committed: a new opportunity (created or
 * qualified from a lead) is routed and its escalation check queued; a stage move starts a new idle
 * period. Neither undoes the committed write when it fails (logged; the next activity reschedules).
 */
export async function afterCreate(em: EntityManager, services: OpportunityServices, opportunity: IOpportunity): Promise<IOpportunity> {
  try {
    return await routeNew(em, services, opportunity);
  } catch (error) {
    loggerFor('opportunity').warn({ err: error, opportunityId: opportunity.id }, 'opportunity not routed');
    await afterActivity(em, services, opportunity);
    return opportunity;
  }
}

export async function afterActivity(em: EntityManager, services: OpportunityServices, opportunity: IOpportunity): Promise<void> {
  try {
    await (em.fork() as EntityManager).transactional((tx) => touchActivity(tx, opportunity, services.clock.now()));
  } catch (error) {
    loggerFor('opportunity').warn({ err: error, opportunityId: opportunity.id }, 'escalation not rescheduled');
  }
}
