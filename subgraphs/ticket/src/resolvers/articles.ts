import { badInput, forbidden, isUuid, notFound, parsePage, payload, toConnection } from '@dcrm/kit';
import { storefrontLocale } from '../clients/catalog.js';
import { KNOWLEDGE_READ } from '../domain/knowledge/access.js';
import { articleCreate, articleTransition, articleUpdate } from '../domain/knowledge/article-write.js';
import { articleDeflected, ticketArticleLink } from '../domain/knowledge/feedback.js';
import { normaliseLocale } from '../domain/knowledge/locale.js';
import { type ArticleSearch, searchArticles, suggestArticles, suggestionTerms } from '../domain/knowledge/search.js';
import { articlesPage } from '../entities/index.js';
import type { TicketContext, TicketResolvers } from './context.js';

const ref = <T extends string>(typename: T, id: string | null | undefined) => (id ? { __typename: typename, id } : null);
const MAX_SUGGESTIONS = 10;

/**
 * The locale a list is read in: the one asked for; for anyone but staff with `knowledge:read`, the
 * storefront's when none is asked for (staff then search every locale).
 */
async function readingLocale(ctx: TicketContext, asked: string | null | undefined, everyLocale: boolean): Promise<string | null> {
  if (asked != null) {
    const locale = normaliseLocale(asked);
    if (!locale) throw badInput('Use a BCP 47 locale such as en-IE', 'locale');
    return locale;
  }
  if (everyLocale) return null;
  return normaliseLocale(await storefrontLocale(ctx.services.peers, ctx.principal)) ?? 'en';
}

/** The knowledge base: Query.articles/article/articleSearch/articleSuggestions, Mutation.article*, ticketArticleLink, types Article and Ticket.articles. */
export const articleResolvers: TicketResolvers = {
  Query: {
    articles: async (_, args, ctx) => {
      const page = parsePage(args, 'UPDATED', 2);
      const scope = ctx.loaders.knowledge.scope;
      const locale = args.locale != null ? normaliseLocale(args.locale) : null;
      if (args.locale != null && !locale) throw badInput('Use a BCP 47 locale such as en-IE', 'locale');
      const rows = scope ? await articlesPage(ctx.em, scope, { status: args.status, category: args.category, locale }, page) : [];
      for (const row of rows) ctx.loaders.knowledge.article.prime(row.id, row);
      return toConnection(rows, page, 'UPDATED', (a) => [a.updatedAt.toISOString(), a.id]);
    },
    article: async (_, { id }, ctx) => {
      const article = isUuid(id) ? await ctx.loaders.knowledge.article.load(id) : null;
      if (!article) throw notFound('Article');
      return article;
    },
    articleSearch: async (_, args, ctx) => {
      const page = parsePage(args, 'RANK', 2);
      const reader = ctx.loaders.knowledge.reader;
      const text = args.query.trim();
      if (text.length > 200) throw badInput('At most 200 characters', 'query');
      if (args.status?.length && !reader?.allStatuses) throw forbidden(`Filtering by status needs ${KNOWLEDGE_READ}`);
      if (!reader || !text) return toConnection([], page, 'RANK', () => []);
      const search: ArticleSearch = {
        reader,
        locale: await readingLocale(ctx, args.locale, reader.allStatuses),
        category: args.category,
        status: args.status,
      };
      const { hits, key } = await searchArticles(ctx.em, search, text, page);
      for (const h of hits) ctx.loaders.knowledge.article.prime(h.article.id, h.article);
      return toConnection(hits, page, 'RANK', key);
    },
    articleSuggestions: async (_, args, ctx) => {
      const first = args.first ?? 5;
      if (!Number.isInteger(first) || first < 0 || first > MAX_SUGGESTIONS)
        throw badInput(`first must be between 0 and ${MAX_SUGGESTIONS}`, 'first');
      const terms = suggestionTerms(args.subject.slice(0, 200), args.description?.slice(0, 2000));
      const reader = ctx.loaders.knowledge.reader;
      if (!reader || !terms || first === 0) return [];
      // Suggestions are what customers will read: published ones only, whoever asks.
      const locale = await readingLocale(ctx, args.locale, false);
      const search: ArticleSearch = { reader: { ...reader, allStatuses: false }, locale, category: args.category };
      return suggestArticles(ctx.em, search, terms, first);
    },
  },
  Mutation: {
    articleCreate: async (_, { input }, ctx) => payload('article', await articleCreate(ctx.em, ctx.principal, input)),
    articleUpdate: async (_, { input }, ctx) => payload('article', await articleUpdate(ctx.em, ctx.principal, input)),
    articleTransition: async (_, { input }, ctx) =>
      payload('article', await articleTransition(ctx.em, ctx.principal, input, ctx.services.clock.now())),
    articleDeflected: async (_, { input }, ctx) =>
      payload('article', await articleDeflected(ctx.em, ctx.principal, input, ctx.services.clock.now())),
    ticketArticleLink: async (_, { input }, ctx) =>
      payload('ticket', await ticketArticleLink(ctx.em, ctx.principal, ctx.loaders.scope, input)),
  },
  Article: {
    author: (a) => ref('Staff', a.authorStaffId),
    reviewer: (a) => ref('Staff', a.reviewerStaffId),
    history: (a, _, ctx) => ctx.loaders.knowledge.history.load(a.id),
    linkedTicketCount: (a, _, ctx) => ctx.loaders.knowledge.linkedTicketCount.load(a.id),
    deflectionCount: (a, _, ctx) => ctx.loaders.knowledge.deflectionCount.load(a.id),
  },
  ArticleStatusChange: {
    from: (c) => c.fromStatus ?? null,
    to: (c) => c.toStatus,
    actor: (c) => ref('Staff', c.actorStaffId),
  },
  Ticket: {
    articles: (t, _, ctx) => ctx.loaders.knowledge.ticketArticles.load(t.id),
  },
};
