import { notFound } from '@dcrm/kit';
import { brandOf } from '../clients/brand.js';
import { documentView, renderQuoteHtml } from '../domain/document.js';
import { renderQuotePdf } from '../domain/document-pdf.js';
import { findQuote } from '../domain/quotes.js';
import type { IQuote } from '../entities/index.js';
import type { QuoteDocumentFormat } from '../generated/resolvers.js';
import type { QuoteContext, QuoteResolvers } from './context.js';

async function document(ctx: QuoteContext, quote: IQuote, format: QuoteDocumentFormat) {
  const [lines, brand] = await Promise.all([ctx.loaders.lines.load(quote.id), brandOf(ctx.services.peers('catalog'), ctx.principal)]);
  const name = `${quote.number}-r${quote.revision}`;
  if (format === 'PDF') {
    const pdf = await renderQuotePdf(documentView(quote, lines, brand), { createdAt: quote.updatedAt });
    return {
      format,
      contentType: 'application/pdf',
      fileName: `${name}.pdf`,
      content: pdf.toString('base64'),
      contentEncoding: 'BASE64' as const,
      sizeBytes: pdf.length,
    };
  }
  const html = renderQuoteHtml(quote, lines, brand);
  return {
    format,
    contentType: 'text/html; charset=utf-8',
    fileName: `${name}.html`,
    content: html,
    contentEncoding: 'TEXT' as const,
    sizeBytes: Buffer.byteLength(html),
  };
}

/** Quote.document and quoteDocument: the quote rendered in its brand's theme, as HTML or PDF. */
export const documentResolvers: QuoteResolvers = {
  Query: {
    quoteDocument: async (_, { id, format }, ctx) => {
      const quote = await findQuote(ctx.em, ctx.principal, id);
      if (!quote) throw notFound('Quote');
      return document(ctx, quote, format);
    },
  },
  Quote: {
    document: (q, { format }, ctx) => document(ctx, q, format),
  },
};
