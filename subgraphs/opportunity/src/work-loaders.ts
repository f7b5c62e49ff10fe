import { byId, groupedBy } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type IOpportunityNote,
  type IOpportunityRouting,
  type IOpportunityShare,
  type IOpportunityTask,
  OpportunityNote,
  OpportunityRouting,
  OpportunityShare,
  OpportunityTask,
} from './entities/index.js';

/**
 * Per-request loaders of an opportunity's work (tasks, notes, shares, routing): one statement per list
 * however many opportunities a page holds; children of a visible opportunity are visible.
 */
export function createWorkLoaders(em: EntityManager) {
  const ids = (keys: readonly string[]) => ({ $in: [...keys] });
  return {
    tasks: groupedBy<IOpportunityTask>(
      (keys) => em.find(OpportunityTask, { opportunityId: ids(keys) }, { orderBy: { opportunityId: 'asc', createdAt: 'asc', id: 'asc' } }),
      (t) => t.opportunityId,
    ),
    notes: groupedBy<IOpportunityNote>(
      (keys) => em.find(OpportunityNote, { opportunityId: ids(keys) }, { orderBy: { opportunityId: 'asc', createdAt: 'asc', id: 'asc' } }),
      (n) => n.opportunityId,
    ),
    shares: groupedBy<IOpportunityShare>(
      (keys) => em.find(OpportunityShare, { opportunityId: ids(keys) }, { orderBy: { opportunityId: 'asc', createdAt: 'asc' } }),
      (s) => s.opportunityId,
    ),
    routing: byId<IOpportunityRouting>(
      (keys) => em.find(OpportunityRouting, { opportunityId: ids(keys) }),
      (r) => r.opportunityId,
    ),
  };
}
