import { cursorDate, cursorId, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Article, type ArticleStatus, type IArticle } from './article.entity.js';
import type { TicketCategory } from './ticket.entity.js';

export type ArticleFilter = { status?: readonly ArticleStatus[] | null; category?: TicketCategory | null; locale?: string | null };

const RECENT: OrmKey[] = [
  { field: 'updatedAt', dir: 'desc', parse: cursorDate },
  { field: 'id', dir: 'desc', parse: cursorId },
];

/** One page of the articles `scope` admits, most recently changed first; one row past the page tells whether there is a next. */
export function articlesPage(em: EntityManager, scope: FilterQuery<IArticle>, filter: ArticleFilter, page: Page): Promise<IArticle[]> {
  const where: FilterQuery<IArticle>[] = [scope, keysetWhere(RECENT, page) as FilterQuery<IArticle>];
  if (filter.status?.length) where.push({ status: { $in: [...filter.status] } });
  if (filter.category) where.push({ category: filter.category });
  if (filter.locale) where.push({ locale: filter.locale });
  return em.find(Article, { $and: where }, { orderBy: keysetOrderBy(RECENT, page), limit: page.limit + 1 });
}
