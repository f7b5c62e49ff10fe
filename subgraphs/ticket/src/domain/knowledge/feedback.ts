import { Checks, fail, isUuid, ok, type Principal } from '@dcrm/kit';
import { type FilterQuery, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  Article,
  ArticleDeflection,
  type IArticle,
  type ITicket,
  Ticket,
  TicketArticle,
  type TicketCategory,
} from '../../entities/index.js';
import type { ErrorCode, Result } from '../ticket.errors.js';
import { articleReader } from './access.js';

const f = (...path: string[]) => ['input', ...path];
/** A customer counts once per article per day, however often they open it. */
const DEFLECTION_WINDOW_MS = 86_400_000;

export type ArticleDeflectedInput = { articleId: string; category?: TicketCategory | null; query?: string | null };

/**
 * Records that a customer or shopper read a published article while raising a ticket and raised none.
 * The article must be one they can read; a signed-in customer counts once a day per article.
 */
export async function articleDeflected(
  em: EntityManager,
  principal: Principal,
  input: ArticleDeflectedInput,
  now: Date,
): Promise<Result<IArticle>> {
  const checks = new Checks<ErrorCode>();
  checks.text(input.query, f('query'), 500, false);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const reader = articleReader(principal);
  if (!reader || !isUuid(input.articleId)) return fail('NOT_FOUND', 'No such article', f('articleId'));
  return em.transactional(async (tx) => {
    const article = await tx.findOne(Article, { id: input.articleId, storefrontId: reader.storefrontId, status: 'PUBLISHED' });
    if (!article) return fail('NOT_FOUND', 'No such article', f('articleId'));
    const customerId = principal.kind === 'customer' ? principal.id : null;
    if (customerId) {
      const since = new Date(now.getTime() - DEFLECTION_WINDOW_MS);
      if (await tx.count(ArticleDeflection, { articleId: article.id, customerId, createdAt: { $gt: since } })) return ok(article);
    }
    tx.create(ArticleDeflection, {
      articleId: article.id,
      storefrontId: reader.storefrontId,
      customerId,
      category: input.category ?? null,
      query: input.query?.trim() || null,
      createdAt: now,
    });
    await tx.flush();
    return ok(article);
  });
}

export type TicketArticleLinkInput = { ticketId: string; articleId: string };

/**
 * Links a published article to a resolved (or closed) ticket the agent may see: the answer that solved
 * it. Linking twice changes nothing.
 */
export async function ticketArticleLink(
  em: EntityManager,
  principal: Principal,
  ticketScope: FilterQuery<ITicket> | null,
  input: TicketArticleLinkInput,
): Promise<Result<ITicket>> {
  const reader = articleReader(principal);
  if (!reader || !ticketScope) return fail('NOT_FOUND', 'No such ticket', f('ticketId'));
  try {
    return await em.transactional(async (tx) => {
      const ticket = isUuid(input.ticketId) ? await tx.findOne(Ticket, { $and: [ticketScope, { id: input.ticketId }] }) : null;
      if (!ticket) return fail('NOT_FOUND', 'No such ticket', f('ticketId'));
      if (ticket.status !== 'RESOLVED' && ticket.status !== 'CLOSED') {
        return fail('INVALID_STATE', 'Only a resolved or closed ticket links to the article that solved it', f('ticketId'));
      }
      const article = isUuid(input.articleId)
        ? await tx.findOne(Article, { id: input.articleId, storefrontId: ticket.storefrontId, status: 'PUBLISHED' })
        : null;
      if (!article) return fail('NOT_FOUND', 'No such published article', f('articleId'));
      if (!(await tx.count(TicketArticle, { ticketId: ticket.id, articleId: article.id }))) {
        tx.create(TicketArticle, {
          ticketId: ticket.id,
          articleId: article.id,
          storefrontId: ticket.storefrontId,
          linkedByStaffId: principal.id,
        });
        await tx.flush();
      }
      return ok(ticket);
    });
  } catch (error) {
    // Two agents linking the same pair at once: the other one won, which is the same outcome.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const ticket = await em.fork().findOne(Ticket, { $and: [ticketScope, { id: input.ticketId }] });
    return ticket ? ok(ticket) : fail('NOT_FOUND', 'No such ticket', f('ticketId'));
  }
}
