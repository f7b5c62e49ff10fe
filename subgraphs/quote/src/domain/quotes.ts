import { isUuid, type Page, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IQuote, type QuoteStatus, quotesIn, quotesPage } from '../entities/index.js';
import { quoteScope, readScope } from './access.js';

/** A quote the caller may see, or null. */
export async function findQuote(em: EntityManager, principal: Principal, id: string): Promise<IQuote | null> {
  const scope = readScope(principal);
  return scope && isUuid(id) ? ((await quotesIn(em, scope, [id]))[0] ?? null) : null;
}

/** The quotes of `ids` the caller may see (`_entities`, loaders); the others are left out. */
export async function visibleQuotes(em: EntityManager, principal: Principal, ids: readonly string[]): Promise<IQuote[]> {
  const scope = quoteScope(principal);
  const valid = ids.filter(isUuid);
  return scope && valid.length ? quotesIn(em, scope, valid) : [];
}

/** A page of the quotes the caller may see, newest first; optionally of given customers or one status. */
export async function listQuotes(
  em: EntityManager,
  principal: Principal,
  options: { customerIds?: readonly string[]; opportunityId?: string; status?: QuoteStatus | null; page: Page },
): Promise<IQuote[]> {
  const scope = readScope(principal);
  return scope ? quotesPage(em, scope, options) : [];
}
