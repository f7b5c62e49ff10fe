import { attachmentLimit, decodeAttachments, fail, isUuid, ok } from '@dcrm/kit';
import { type IQuoteAttachment, Quote, QuoteAttachment } from '../entities/index.js';
import { quoteScope } from './access.js';
import type { Result } from './quote.errors.js';
import { f } from './quote-checks.js';
import { mayWrite, type WriteCtx } from './quote-context.js';

/** At most this many bytes per quote file: `DCRM_QUOTE_ATTACHMENT_MAX_BYTES` (default 512 KiB). */
export const quoteAttachmentMaxBytes = (env: NodeJS.ProcessEnv = process.env) => attachmentLimit('DCRM_QUOTE_ATTACHMENT_MAX_BYTES', env);

export type AttachmentArgs = { quoteId: string; fileName: string; contentType: string; contentBase64: string };

/** Attaches a file to a quote the caller may write (any revision; every revision of the number shows it). */
export async function quoteAttachmentAdd(ctx: WriteCtx, input: AttachmentArgs): Promise<Result<IQuoteAttachment>> {
  if (!mayWrite(ctx.principal)) return fail('FORBIDDEN', 'Missing scope quote:write');
  const { files, errors } = decodeAttachments([input], ['input'], quoteAttachmentMaxBytes());
  if (errors.length) return { ok: false, errors: errors.map((e) => ({ ...e, field: ['input', ...(e.field ?? []).slice(2)] })) };
  const scope = quoteScope(ctx.principal);
  const quote = scope && isUuid(input.quoteId) ? await ctx.em.findOne(Quote, { $and: [scope, { id: input.quoteId }] }) : null;
  if (!quote) return fail('NOT_FOUND', 'No such quote', f('quoteId'));
  const [file] = files;
  const attachment = ctx.em.create(QuoteAttachment, {
    storefrontId: quote.storefrontId,
    quoteNumber: quote.number,
    quoteId: quote.id,
    fileName: file.fileName,
    contentType: file.contentType,
    sizeBytes: file.sizeBytes,
    sha256: file.sha256,
    content: file.content,
    uploadedBy: ctx.principal.id,
  });
  await ctx.em.flush();
  return ok(attachment);
}

/** One attachment with its content, of a quote the caller may see; null otherwise. */
export async function attachmentWithContent(ctx: Pick<WriteCtx, 'em' | 'principal'>, id: string): Promise<IQuoteAttachment | null> {
  const scope = quoteScope(ctx.principal);
  if (!scope || !isUuid(id)) return null;
  const attachment = await ctx.em.findOne(QuoteAttachment, { id }, { populate: ['content'] });
  if (!attachment) return null;
  const quote = await ctx.em.findOne(Quote, { $and: [scope, { storefrontId: attachment.storefrontId, number: attachment.quoteNumber }] });
  return quote ? attachment : null;
}
