import { notFound } from '@dcrm/kit';
import { brandOf } from '../clients/brand.js';
import { renderQuoteHtml } from '../domain/document.js';
import { findQuote } from '../domain/quotes.js';
import type { IQuote } from '../entities/index.js';
import type { QuoteContext, QuoteResolvers } from './context.js';

async function document(ctx: QuoteContext, quote: IQuote) {
  const [lines, brand] = await Promise.all([ctx.loaders.lines.load(quote.id), brandOf(ctx.services.peers('catalog'), ctx.principal)]);
  return {
    format: 'HTML' as const,
    contentType: 'text/html; charset=utf-8',
    fileName: `${quote.number}-r${quote.revision}.html`,
    content: renderQuoteHtml(quote, lines, brand),
  };
}

/** Quote.document and quoteDocument: the quote rendered in its brand's theme. */
export const documentResolvers: QuoteResolvers = {
  Query: {
    quoteDocument: async (_, { id }, ctx) => {
      const quote = await findQuote(ctx.em, ctx.principal, id);
      if (!quote) throw notFound('Quote');
      return document(ctx, quote);
    },
  },
  Quote: {
    document: (q, _, ctx) => document(ctx, q),
  },
};
