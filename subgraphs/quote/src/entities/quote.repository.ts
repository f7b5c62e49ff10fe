import { cursorId, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IQuote, type IQuoteLine, Quote, QuoteLine, type QuoteStatus } from './quote.entity.js';

/** The quotes of `ids` within a row scope (ids must be UUIDs). */

/** Newest first: UUID v7 ids are time-ordered. */
const NEWEST: OrmKey[] = [{ field: 'id', dir: 'desc', parse: cursorId }];

export const quotesIn = (em: EntityManager, scope: FilterQuery<IQuote>, ids: readonly string[]): Promise<IQuote[]> =>
  em.find(Quote, { $and: [scope, { id: { $in: [...ids] } }] });

/** Newest first (UUIDv7 ids), keyset after `after`; optionally of given customers or one status. */
export const quotesPage = (
  em: EntityManager,
  scope: FilterQuery<IQuote>,
  options: { customerIds?: readonly string[]; opportunityId?: string; status?: QuoteStatus | null; page: Page },
): Promise<IQuote[]> =>
  em.find(
    Quote,
    {
      $and: [
        scope,
        options.customerIds ? { customerId: { $in: [...options.customerIds] } } : {},
        options.opportunityId ? { opportunityId: options.opportunityId } : {},
        options.status ? { status: options.status } : {},
        keysetWhere(NEWEST, options.page),
      ],
    },
    { orderBy: keysetOrderBy(NEWEST, options.page), limit: options.page.limit + 1 },
  );

/** The lines of these quotes, in their order. */
export const linesOf = (em: EntityManager, quoteIds: readonly string[]): Promise<IQuoteLine[]> =>
  em.find(QuoteLine, { quote: { $in: [...quoteIds] } }, { orderBy: { position: 'asc' } });
