import { notFound, pageArgs } from '@dcrm/kit';
import { attachmentWithContent, quoteAttachmentAdd } from '../domain/attachments.js';
import { type IQuoteAttachment, numberKey } from '../entities/index.js';
import type { QuoteResolvers } from './context.js';

/** An attachment as the API shows it; its content only when asked for one by id. */
export const attachmentView = (a: IQuoteAttachment, withContent = false) => ({
  id: a.id,
  fileName: a.fileName,
  contentType: a.contentType,
  sizeBytes: a.sizeBytes,
  sha256: a.sha256,
  uploadedBy: a.uploadedBy ?? null,
  createdAt: a.createdAt,
  contentBase64: withContent && a.content ? Buffer.from(a.content as Uint8Array).toString('base64') : null,
});

/** Quote attachments: add, list (metadata), read one with its content. */
export const attachmentResolvers: QuoteResolvers = {
  Query: {
    quoteAttachment: async (_, { id }, ctx) => {
      const attachment = await attachmentWithContent(ctx, id);
      if (!attachment) throw notFound('Attachment');
      return attachmentView(attachment, true);
    },
  },
  Mutation: {
    quoteAttachmentAdd: async (_, { input }, ctx) => {
      const result = await quoteAttachmentAdd(ctx, input);
      return result.ok ? { attachment: attachmentView(result.value), userErrors: [] } : { attachment: null, userErrors: result.errors };
    },
  },
  Quote: {
    attachments: async (q, args, ctx) => {
      const page = await ctx.loaders.attachments.load({ parent: numberKey(q), ...pageArgs(args) });
      return {
        ...page,
        nodes: page.nodes.map((a) => attachmentView(a)),
        edges: page.edges.map((e) => ({ ...e, node: attachmentView(e.node) })),
      };
    },
  },
};
