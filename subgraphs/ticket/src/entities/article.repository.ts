import { badInput, isUuid, type Page } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Article, type ArticleStatus, type IArticle } from './article.entity.js';
import type { TicketCategory } from './ticket.entity.js';

export type ArticleFilter = { status?: readonly ArticleStatus[] | null; category?: TicketCategory | null; locale?: string | null };

function after(values: unknown[] | null): FilterQuery<IArticle> {
  if (!values) return {};
  const at = typeof values[0] === 'string' ? new Date(values[0]) : null;
  if (!at || Number.isNaN(at.getTime()) || !isUuid(values[1])) throw badInput('Malformed cursor', 'after');
  const id = values[1];
  return { $or: [{ updatedAt: { $lt: at } }, { updatedAt: at, id: { $lt: id } }] };
}

/** One page of the articles `scope` admits, most recently changed first; one row past the page tells whether there is a next. */
export function articlesPage(em: EntityManager, scope: FilterQuery<IArticle>, filter: ArticleFilter, page: Page): Promise<IArticle[]> {
  const where: FilterQuery<IArticle>[] = [scope, after(page.after)];
  if (filter.status?.length) where.push({ status: { $in: [...filter.status] } });
  if (filter.category) where.push({ category: filter.category });
  if (filter.locale) where.push({ locale: filter.locale });
  return em.find(Article, { $and: where }, { orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], limit: page.limit + 1 });
}
