import { notFound } from '@dcrm/kit';
import { quoteDocumentAttach, type RenderedDocument, renderDocument } from '../domain/quote-document.js';
import { findQuote } from '../domain/quotes.js';
import type { IQuote } from '../entities/index.js';
import type { QuoteDocumentFormat } from '../generated/resolvers.js';
import { attachmentView } from './attachments.js';
import type { QuoteContext, QuoteResolvers } from './context.js';

// Text formats travel as they are; a binary one (PDF) base64-encoded.
const view = (file: RenderedDocument) => ({
  format: file.format,
  contentType: file.contentType,
  fileName: file.fileName,
  content: file.format === 'PDF' ? file.bytes.toString('base64') : file.bytes.toString('utf8'),
  contentEncoding: file.format === 'PDF' ? ('BASE64' as const) : ('TEXT' as const),
  sizeBytes: file.bytes.length,
});

async function document(ctx: QuoteContext, quote: IQuote, format: QuoteDocumentFormat) {
  const [lines, brand] = await Promise.all([ctx.loaders.lines.load(quote.id), ctx.loaders.brand()]);
  return view(await renderDocument(quote, lines, brand, format));
}

/** Quote.document and quoteDocument: the quote rendered in its brand's theme, as HTML or PDF; quoteDocumentAttach keeps one. */
export const documentResolvers: QuoteResolvers = {
  Query: {
    quoteDocument: async (_, { id, format }, ctx) => {
      const quote = await findQuote(ctx.em, ctx.principal, id);
      if (!quote) throw notFound('Quote');
      return document(ctx, quote, format);
    },
  },
  Mutation: {
    quoteDocumentAttach: async (_, { input }, ctx) => {
      const result = await quoteDocumentAttach(ctx, input.quoteId, input.format ?? 'PDF');
      return result.ok ? { attachment: attachmentView(result.value), userErrors: [] } : { attachment: null, userErrors: result.errors };
    },
  },
  Quote: {
    document: (q, { format }, ctx) => document(ctx, q, format),
  },
};
