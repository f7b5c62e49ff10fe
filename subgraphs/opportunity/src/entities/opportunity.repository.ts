import type { AccountRowFilter, Page } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, Opportunity } from './opportunity.entity.js';

/** One page of the opportunities a scope admits, newest first (id descending: v7 ids are time-ordered). */
export const opportunitiesPage = (em: EntityManager, scope: AccountRowFilter, page: Page): Promise<IOpportunity[]> =>
  em.find(
    Opportunity,
    { $and: [scope, page.after ? { id: { $lt: String(page.after[0]) } } : {}] },
    { orderBy: { id: 'desc' }, limit: page.limit + 1 },
  );
