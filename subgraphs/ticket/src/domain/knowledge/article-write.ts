import { actingStorefront, Checks, fail, hasScope, isUuid, ok, type Principal } from '@dcrm/kit';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  Article,
  type ArticleBodyFormat,
  type ArticleStatus,
  ArticleStatusChange,
  type IArticle,
  type TicketCategory,
} from '../../entities/index.js';
import type { ErrorCode, Result } from '../ticket.errors.js';
import { articleMove, EDIT_SCOPE } from './lifecycle.js';
import { normaliseLocale, searchConfigFor } from './locale.js';

export type ArticleCreateInput = {
  category: TicketCategory;
  locale: string;
  title: string;
  body: string;
  bodyFormat?: ArticleBodyFormat | null;
  tags?: readonly string[] | null;
};
export type ArticleUpdateInput = { [K in keyof ArticleCreateInput]?: ArticleCreateInput[K] | null } & { id: string; version: number };
export type ArticleTransitionInput = { id: string; version: number; to: ArticleStatus; reason?: string | null };

const f = (...path: string[]) => ['input', ...path];
const MAX_TAGS = 20;

/** Tags trimmed, lower-cased and de-duplicated. */
const cleanTags = (tags: readonly string[]) => [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];

function checkFields(checks: Checks<ErrorCode>, input: Omit<ArticleUpdateInput, 'id' | 'version'>): string | null {
  checks.text(input.title, f('title'), 200);
  checks.text(input.body, f('body'), 100_000);
  let locale: string | null = null;
  if (input.locale != null) {
    locale = normaliseLocale(input.locale);
    if (!locale) checks.add('INVALID', 'Use a BCP 47 locale such as en-IE', f('locale'));
  }
  if (input.tags != null) {
    if (input.tags.length > MAX_TAGS) checks.add('TOO_MANY', `At most ${MAX_TAGS} tags`, f('tags'));
    for (const [i, tag] of input.tags.entries()) checks.text(tag, f('tags', String(i)), 40);
  }
  return locale;
}

/** The article of the caller's storefront (another brand's reads like a missing one). */
async function ownArticle(tx: EntityManager, principal: Principal, id: string): Promise<IArticle | null> {
  const storefrontId = actingStorefront(principal);
  return storefrontId && isUuid(id) ? tx.findOne(Article, { id, storefrontId }) : null;
}

async function commit(tx: EntityManager, article: IArticle): Promise<Result<IArticle>> {
  try {
    await tx.flush();
    return ok(article);
  } catch (error) {
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The article changed meanwhile; reload it', f('version'));
    throw error;
  }
}

/** A new DRAFT article in the caller's storefront, written by the caller, with the first history entry. */
export async function articleCreate(em: EntityManager, principal: Principal, input: ArticleCreateInput): Promise<Result<IArticle>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('FORBIDDEN', 'No storefront to write in');
  const checks = new Checks<ErrorCode>();
  const locale = checkFields(checks, input);
  if (!checks.ok || !locale) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const article = tx.create(Article, {
      storefrontId,
      category: input.category,
      locale,
      searchConfig: searchConfigFor(locale),
      title: input.title.trim(),
      body: input.body,
      bodyFormat: input.bodyFormat ?? 'MARKDOWN',
      tags: cleanTags(input.tags ?? []),
      status: 'DRAFT',
      authorStaffId: principal.id,
    });
    tx.create(ArticleStatusChange, { articleId: article.id, fromStatus: null, toStatus: 'DRAFT', actorStaffId: principal.id });
    return commit(tx, article);
  });
}

/** Edits an article's text at the version the caller read; a published one needs `knowledge:publish`, an archived one none. */
export async function articleUpdate(em: EntityManager, principal: Principal, input: ArticleUpdateInput): Promise<Result<IArticle>> {
  const checks = new Checks<ErrorCode>();
  const locale = checkFields(checks, input);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const article = await ownArticle(tx, principal, input.id);
    if (!article) return fail('NOT_FOUND', 'No such article', f('id'));
    const status: ArticleStatus = article.status;
    const scope = EDIT_SCOPE[status];
    if (!scope) return fail('INVALID_STATE', 'An archived article cannot be edited; move it back to DRAFT first', f('id'));
    if (!hasScope(principal, scope)) return fail('FORBIDDEN', `Editing a ${article.status} article needs ${scope}`, f('id'));
    if (article.version !== input.version)
      return fail('CONFLICT', `The article changed since version ${input.version}; reload it`, f('version'));
    if (input.title != null) article.title = input.title.trim();
    if (input.body != null) article.body = input.body;
    if (input.bodyFormat != null) article.bodyFormat = input.bodyFormat;
    if (input.category != null) article.category = input.category;
    if (input.tags != null) article.tags = cleanTags(input.tags);
    if (locale) {
      article.locale = locale;
      article.searchConfig = searchConfigFor(locale);
    }
    return commit(tx, article);
  });
}

/** Moves an article along its review life cycle (`lifecycle.ts`), recording who, when and why. */
export async function articleTransition(
  em: EntityManager,
  principal: Principal,
  input: ArticleTransitionInput,
  now: Date,
): Promise<Result<IArticle>> {
  const checks = new Checks<ErrorCode>();
  checks.text(input.reason, f('reason'), 500, false);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const article = await ownArticle(tx, principal, input.id);
    if (!article) return fail('NOT_FOUND', 'No such article', f('id'));
    const move = articleMove(article.status, input.to);
    if (!move) return fail('INVALID_TRANSITION', `A ${article.status} article cannot become ${input.to}`, f('to'));
    if (!hasScope(principal, move.scope)) return fail('FORBIDDEN', `${article.status} → ${input.to} needs ${move.scope}`, f('to'));
    const reason = input.reason?.trim() || null;
    if (move.reason && !reason) return fail('REASON_REQUIRED', 'Say why the article goes back to draft', f('reason'));
    if (article.version !== input.version)
      return fail('CONFLICT', `The article changed since version ${input.version}; reload it`, f('version'));
    tx.create(ArticleStatusChange, {
      articleId: article.id,
      fromStatus: article.status,
      toStatus: input.to,
      actorStaffId: principal.id,
      reason,
      at: now,
    });
    if (input.to === 'PUBLISHED') {
      article.publishedAt = now;
      article.reviewerStaffId = principal.id;
    }
    if (article.status === 'IN_REVIEW' && input.to === 'DRAFT') article.reviewerStaffId = principal.id;
    article.status = input.to;
    return commit(tx, article);
  });
}
