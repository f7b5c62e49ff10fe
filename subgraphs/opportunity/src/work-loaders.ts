import { byId, cursorDate, cursorId, groupedBy, type OrmKey, parentPages, windowByParent } from '@dcrm/kit';
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

// Oldest first: creation time, then the (time-ordered) id.
const OLDEST_KEYS: OrmKey[] = [
  { field: 'createdAt', dir: 'asc', parse: cursorDate },
  { field: 'id', dir: 'asc', parse: cursorId },
];
const oldestKey = (row: { createdAt: Date; id: string }) => [row.createdAt.toISOString(), row.id];

/**
 * Per-request loaders of an opportunity's work (tasks, notes, shares, routing): one statement per list
 * (per page request for the paged ones) however many opportunities a page holds; children of a visible
 * opportunity are visible.
 */
export function createWorkLoaders(em: EntityManager) {
  const ids = (keys: readonly string[]) => ({ $in: [...keys] });
  // Notes pages: `shared` keeps to the ones shared with the partner (not internal).
  const notesPages = (shared: boolean) =>
    parentPages<IOpportunityNote>(
      (parents, page) =>
        windowByParent(em, OpportunityNote, 'opportunityId', parents, shared ? { internal: false } : {}, OLDEST_KEYS, page),
      { sort: 'OLDEST', arity: 2, keyOf: oldestKey, parentOf: (n) => n.opportunityId },
    );
  return {
    tasks: parentPages<IOpportunityTask>(
      (parents, page) => windowByParent(em, OpportunityTask, 'opportunityId', parents, {}, OLDEST_KEYS, page),
      { sort: 'OLDEST', arity: 2, keyOf: oldestKey, parentOf: (t) => t.opportunityId },
    ),
    notes: notesPages(true),
    internalNotes: notesPages(false),
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
