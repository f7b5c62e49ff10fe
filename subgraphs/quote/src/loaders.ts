import { byId, firstPage, groupedBy, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createContractLoaders } from './contract-loaders.js';
import { listQuotes, visibleQuotes } from './domain/quotes.js';
import type { QuoteServices } from './domain/services.js';
import { type IQuote, type IQuoteLine, linesOf } from './entities/index.js';

/** At most this many quotes per account are read at once for `Customer.quotes` (later pages page in SQL). */
export const CUSTOMER_QUOTES_LIMIT = 500;

export type QuoteLoaders = ReturnType<typeof createQuoteLoaders>;

export function createQuoteLoaders(em: EntityManager, principal: Principal, services: QuoteServices) {
  return {
    ...createContractLoaders(em, principal),
    now: services.clock.now(),
    // Quotes the principal may see (`Query.quote`, `_entities`).
    quote: byId<IQuote>(
      (ids) => visibleQuotes(em, principal, ids),
      (q) => q.id,
    ),
    // `Customer.quotes` first pages: one statement for every account of a list.
    customerQuotes: groupedBy<IQuote>(
      (ids) => listQuotes(em, principal, { customerIds: ids, page: firstPage(CUSTOMER_QUOTES_LIMIT) }),
      (q) => q.customerId as string,
    ),
    lines: groupedBy<IQuoteLine>(
      (ids) => linesOf(em, ids),
      (l) => (typeof l.quote === 'string' ? l.quote : l.quote.id),
    ),
  };
}
