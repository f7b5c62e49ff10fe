import { type AccountRowFilter, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, Opportunity } from './opportunity.entity.js';

const NEWEST: OrmKey[] = [{ field: 'id', dir: 'desc' }];

/** One page of the opportunities a scope admits, newest first (id descending: v7 ids are time-ordered). */
export const opportunitiesPage = (em: EntityManager, scope: AccountRowFilter, page: Page): Promise<IOpportunity[]> =>
  em.find(Opportunity, { $and: [scope, keysetWhere(NEWEST, page)] }, { orderBy: keysetOrderBy(NEWEST, page), limit: page.limit + 1 });
