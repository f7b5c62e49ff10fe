import { keysetSql, type Page } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Article, type ArticleStatus, type IArticle, type TicketCategory } from '../../entities/index.js';
import type { ArticleReader } from './access.js';
import { searchConfigFor } from './locale.js';

/** One search result: the article, its `ts_rank` and a `ts_headline` excerpt with the matches in `**`. */
export type ArticleHitView = { article: IArticle; rank: number; snippet: string };

export type ArticleSearch = {
  reader: ArticleReader;
  /** Only this locale (customers and shoppers: always one). */
  locale: string | null;
  category?: TicketCategory | null;
  /** Staff with `knowledge:read` only; everyone else reads PUBLISHED. */
  status?: readonly ArticleStatus[] | null;
};

const COLUMNS = `a.id, a.storefront_id, a.category, a.locale, a.search_config, a.title, a.body, a.body_format, a.tags, a.status,
  a.author_staff_id, a.reviewer_staff_id, a.created_at, a.updated_at, a.published_at, a.version`;
const HEADLINE = 'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … ", StartSel=**, StopSel=**';
const RANK = 'ts_rank(a.search, q.query)';

/**
 * FROM and WHERE shared by search and suggestions. With a locale, the query is parsed once in that
 * locale's configuration (the GIN index answers it); staff searching every locale parse it per row in
 * each article's own configuration.
 */
function scope(s: ArticleSearch, parse: 'websearch_to_tsquery' | 'to_tsquery', text: string, params: unknown[]) {
  if (s.locale) params.push(searchConfigFor(s.locale));
  params.push(text);
  const from = `from "ticket"."article" a cross join lateral ${parse}(${s.locale ? 'cast(? as regconfig)' : 'a.search_config'}, ?) q(query)`;
  const where = ['a.storefront_id = ?', 'a.search @@ q.query'];
  params.push(s.reader.storefrontId);
  if (!s.reader.allStatuses) where.push(`a.status = 'PUBLISHED'`);
  else if (s.status?.length) {
    where.push('a.status in (?)');
    params.push([...s.status]);
  }
  if (s.locale) {
    where.push('a.locale = ?');
    params.push(s.locale);
  }
  if (s.category) {
    where.push('a.category = ?');
    params.push(s.category);
  }
  return { from, where };
}

const hit = (em: EntityManager, row: Record<string, unknown>): ArticleHitView => ({
  article: em.map(Article, row),
  rank: Number(row.rank),
  snippet: String(row.snippet ?? ''),
});

/** A page of articles matching `text` (web-search syntax: quotes, `or`, `-word`), best first; one extra row tells whether there is a next page. */
export async function searchArticles(
  em: EntityManager,
  s: ArticleSearch,
  text: string,
  page: Page,
): Promise<{ hits: ArticleHitView[]; key: (h: ArticleHitView) => unknown[] }> {
  const params: unknown[] = [];
  const { from, where } = scope(s, 'websearch_to_tsquery', text, params);
  const keyset = keysetSql(
    [
      { expr: RANK, dir: 'desc', cast: 'real' },
      { expr: 'a.id', dir: 'desc', cast: 'uuid' },
    ],
    page,
    params,
  );
  where.push(...keyset.conditions);
  params.push(page.limit + 1);
  const sql = `select ${COLUMNS}, ${RANK} as rank, ts_headline(a.search_config, a.body, q.query, '${HEADLINE}') as snippet
    ${from} where ${where.join(' and ')} order by ${keyset.orderBy} limit ?`;
  const rows: Record<string, unknown>[] = await em.execute(sql, params);
  return { hits: rows.map((row) => hit(em, row)), key: (h) => [h.rank, h.article.id] };
}

/** Words of a ticket being raised, as an OR query: an article matching more of them ranks higher. */
export function suggestionTerms(subject: string, description: string | null | undefined): string | null {
  const words = `${subject} ${description ?? ''}`.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
  const unique = [...new Set(words)].slice(0, 40);
  return unique.length ? unique.join(' | ') : null;
}

/** Up to `limit` published (or, for staff, readable) articles answering a ticket being raised; its category's rank double. */
export async function suggestArticles(em: EntityManager, s: ArticleSearch, terms: string, limit: number): Promise<ArticleHitView[]> {
  // The category boosts rather than filters: its parameter sits in the select list, before FROM's.
  const params: unknown[] = s.category ? [s.category] : [];
  const { from, where } = scope(s.category ? { ...s, category: null } : s, 'to_tsquery', terms, params);
  const boost = s.category ? `${RANK} * (case when a.category = ? then 2 else 1 end)` : RANK;
  params.push(limit);
  const sql = `select ${COLUMNS}, ${boost} as rank, ts_headline(a.search_config, a.body, q.query, '${HEADLINE}') as snippet
    ${from} where ${where.join(' and ')} order by rank desc, a.id desc limit ?`;
  const rows: Record<string, unknown>[] = await em.execute(sql, params);
  return rows.map((row) => hit(em, row));
}
