import { badInput, notFound, pageArgs } from '@dcrm/kit';
import { findQuote } from '../domain/quotes.js';
import { revisionDiff } from '../domain/revision-diff.js';
import { linesOf, numberKey } from '../entities/index.js';
import type { QuoteResolvers } from './context.js';

/** Quote.revisions and quoteRevisionDiff. */
export const revisionResolvers: QuoteResolvers = {
  Query: {
    quoteRevisionDiff: async (_, { from, to }, ctx) => {
      const [a, b] = await Promise.all([findQuote(ctx.em, ctx.principal, from), findQuote(ctx.em, ctx.principal, to)]);
      if (!a || !b) throw notFound('Quote');
      if (a.storefrontId !== b.storefrontId || a.number !== b.number) throw badInput('Both must be revisions of the same quote', 'to');
      const [older, newer] = a.revision <= b.revision ? [a, b] : [b, a];
      const lines = await linesOf(ctx.em, [older.id, newer.id]);
      const of = (id: string) => lines.filter((l) => (l.quote as { id: string }).id === id);
      return { from: older, to: newer, ...revisionDiff({ quote: older, lines: of(older.id) }, { quote: newer, lines: of(newer.id) }) };
    },
  },
  Quote: {
    revisions: (q, args, ctx) => ctx.loaders.revisions.load({ parent: numberKey(q), ...pageArgs(args) }),
  },
};
