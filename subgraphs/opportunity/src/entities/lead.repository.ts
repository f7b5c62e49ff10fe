import type { AccountRowFilter, Page } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ILead, Lead } from './lead.entity.js';

/**
 * One page of the leads a scope admits, newest first: ids are time-ordered (v7), so id descending is
 * a stable keyset. Reads one row past the page, which tells whether there is a next one.
 */
export const leadsPage = (em: EntityManager, scope: AccountRowFilter, page: Page): Promise<ILead[]> =>
  em.find(
    Lead,
    { $and: [scope, page.after ? { id: { $lt: String(page.after[0]) } } : {}] },
    { orderBy: { id: 'desc' }, limit: page.limit + 1 },
  );
