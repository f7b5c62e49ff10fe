import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { QuoteNumberRef } from './approval.repository.js';
import { type IQuote, type IQuoteLine, Quote, QuoteLine, type QuoteStatus } from './quote.entity.js';

/** The quotes of `ids` within a row scope (ids must be UUIDs). */
export const quotesIn = (em: EntityManager, scope: FilterQuery<IQuote>, ids: readonly string[]): Promise<IQuote[]> =>
  em.find(Quote, { $and: [scope, { id: { $in: [...ids] } }] });

/** Newest first (UUIDv7 ids), keyset after `after`; optionally of given customers or one status. */
export const quotesPage = (
  em: EntityManager,
  scope: FilterQuery<IQuote>,
  options: { customerIds?: readonly string[]; opportunityId?: string; status?: QuoteStatus | null; after: string | null; limit: number },
): Promise<IQuote[]> =>
  em.find(
    Quote,
    {
      $and: [
        scope,
        options.customerIds ? { customerId: { $in: [...options.customerIds] } } : {},
        options.opportunityId ? { opportunityId: options.opportunityId } : {},
        options.status ? { status: options.status } : {},
        options.after ? { id: { $lt: options.after } } : {},
      ],
    },
    { orderBy: { id: 'desc' }, limit: options.limit },
  );

/** The lines of these quotes, in their order. */
export const linesOf = (em: EntityManager, quoteIds: readonly string[]): Promise<IQuoteLine[]> =>
  em.find(QuoteLine, { quote: { $in: [...quoteIds] } }, { orderBy: { position: 'asc' } });

/** Every revision of these quote numbers within a row scope, oldest revision first, in one statement. */
export const revisionsOfNumbers = (em: EntityManager, scope: FilterQuery<IQuote>, refs: readonly QuoteNumberRef[]): Promise<IQuote[]> =>
  refs.length
    ? em.find(
        Quote,
        { $and: [scope, { $or: refs.map((r) => ({ storefrontId: r.storefrontId, number: r.number })) }] },
        { orderBy: { revision: 'asc' } },
      )
    : Promise.resolve([]);
