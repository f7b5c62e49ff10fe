import { money, payload } from '@dcrm/kit';
import { quoteCreate, quoteLinesAdd, quoteLinesRemove, quoteUpdate } from '../domain/quote-write.js';
import type { QuoteResolvers } from './context.js';
import { quotesPage } from './quotes.js';

/** Mutation.quoteCreate/Update/LinesAdd/LinesRemove, the quote's promotions and opportunity, Opportunity.quotes. */
export const quoteMutationResolvers: QuoteResolvers = {
  Mutation: {
    quoteCreate: async (_, { input }, ctx) => payload('quote', await quoteCreate(ctx, input)),
    quoteUpdate: async (_, { input }, ctx) => payload('quote', await quoteUpdate(ctx, input)),
    quoteLinesAdd: async (_, { input }, ctx) => payload('quote', await quoteLinesAdd(ctx, input)),
    quoteLinesRemove: async (_, { input }, ctx) => payload('quote', await quoteLinesRemove(ctx, input)),
  },
  Quote: {
    opportunity: (q) => (q.opportunityId ? { __typename: 'Opportunity', id: q.opportunityId } : null),
    promoCodes: (q) => q.promoCodes ?? [],
    promotions: (q) =>
      (q.totals.appliedDiscounts ?? []).map((d) => ({
        ...d,
        oneOff: money(d.oneOff, q.currencyCode),
        recurring: money(d.recurring, q.currencyCode),
      })),
  },
  Opportunity: {
    __resolveReference: (ref) => ({ id: ref.id }),
    quotes: (o, args, ctx) => quotesPage(ctx, args, { opportunityId: o.id }),
  },
};
