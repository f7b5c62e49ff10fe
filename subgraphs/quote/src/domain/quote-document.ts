import { fail } from '@dcrm/kit';
import { type Brand, brandOf } from '../clients/brand.js';
import { type IQuote, type IQuoteAttachment, type IQuoteLine, linesOf } from '../entities/index.js';
import { quoteAttachmentAdd } from './attachments.js';
import { documentView, renderQuoteHtml } from './document.js';
import { renderQuotePdf } from './document-pdf.js';
import type { Result } from './quote.errors.js';
import { f } from './quote-checks.js';
import { mayWrite, type WriteCtx } from './quote-context.js';
import { findQuote } from './quotes.js';

export type DocumentFormat = 'HTML' | 'PDF';

/** A quote revision rendered to a file: its bytes, media type and a file name to save it as. */
export type RenderedDocument = { format: DocumentFormat; contentType: string; fileName: string; bytes: Buffer };

/** The quote in a brand's name and theme (the request's, from the catalog), as HTML or PDF. */
export async function renderDocument(
  quote: IQuote,
  lines: readonly IQuoteLine[],
  brand: Brand,
  format: DocumentFormat,
): Promise<RenderedDocument> {
  const name = `${quote.number}-r${quote.revision}`;
  if (format === 'PDF') {
    const bytes = await renderQuotePdf(documentView(quote, lines, brand), { createdAt: quote.updatedAt });
    return { format, contentType: 'application/pdf', fileName: `${name}.pdf`, bytes };
  }
  const bytes = Buffer.from(renderQuoteHtml(quote, lines, brand), 'utf8');
  return { format, contentType: 'text/html; charset=utf-8', fileName: `${name}.html`, bytes };
}

/**
 * Keeps a quote revision's document (e.g. the PDF sent to the customer) as one of its attachments, so
 * it reads back unchanged through `quoteAttachment` whatever the brand or quote become: for whoever may
 * attach files to the quote (`quoteAttachmentAdd`'s rules and size limit).
 */
export async function quoteDocumentAttach(ctx: WriteCtx, quoteId: string, format: DocumentFormat): Promise<Result<IQuoteAttachment>> {
  if (!mayWrite(ctx.principal)) return fail('FORBIDDEN', 'Missing scope quote:write');
  const quote = await findQuote(ctx.em, ctx.principal, quoteId);
  if (!quote) return fail('NOT_FOUND', 'No such quote', f('quoteId'));
  const [lines, brand] = await Promise.all([linesOf(ctx.em, [quote.id]), brandOf(ctx.services.peers('catalog'), ctx.principal)]);
  const file = await renderDocument(quote, lines, brand, format);
  return quoteAttachmentAdd(ctx, {
    quoteId: quote.id,
    fileName: file.fileName,
    contentType: file.contentType,
    contentBase64: file.bytes.toString('base64'),
  });
}
