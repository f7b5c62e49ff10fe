import { byId, groupedBy, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { articleReader, articleScope } from './domain/knowledge/access.js';
import { Article, ArticleStatusChange, type IArticle, type IArticleStatusChange, TicketArticle } from './entities/index.js';

export type KnowledgeLoaders = ReturnType<typeof createKnowledgeLoaders>;

/** Counts per article in one grouped statement. */
function countsBy(em: EntityManager, table: string): DataLoader<string, number> {
  return new DataLoader(async (ids) => {
    const rows: { articleId: string; count: number }[] = await em.execute(
      `select article_id as "articleId", count(*)::int as count from "ticket"."${table}" where article_id in (?) group by article_id`,
      [[...ids]],
    );
    const index = new Map(rows.map((r) => [r.articleId, r.count]));
    return ids.map((id) => index.get(id) ?? 0);
  });
}

/** Per-request knowledge-base loaders: every article they return is one the principal may read (`articleScope`). */
export function createKnowledgeLoaders(em: EntityManager, principal: Principal) {
  const reader = articleReader(principal);
  const scope = articleScope(reader);
  const articles = (ids: readonly string[]) =>
    scope ? em.find(Article, { $and: [scope, { id: { $in: [...ids] } }] }) : Promise.resolve([] as IArticle[]);
  const article = byId<IArticle>(articles, (a) => a.id);
  return {
    reader,
    scope,
    article,
    history: groupedBy<IArticleStatusChange>(
      (ids) => em.find(ArticleStatusChange, { articleId: { $in: [...ids] } }, { orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
      (c) => c.articleId,
    ),
    linkedTicketCount: countsBy(em, 'ticket_article'),
    deflectionCount: countsBy(em, 'article_deflection'),
    /** The readable articles linked to each ticket, oldest link first: two statements for any number of tickets. */
    ticketArticles: new DataLoader<string, IArticle[]>(async (ticketIds) => {
      const links = await em.find(TicketArticle, { ticketId: { $in: [...ticketIds] } }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      const found = links.length ? await articles([...new Set(links.map((l) => l.articleId))]) : [];
      for (const a of found) article.prime(a.id, a);
      const byArticle = new Map(found.map((a) => [a.id, a]));
      return ticketIds.map((id) =>
        links.filter((l) => l.ticketId === id).flatMap((l) => (byArticle.has(l.articleId) ? [byArticle.get(l.articleId) as IArticle] : [])),
      );
    }),
  };
}
