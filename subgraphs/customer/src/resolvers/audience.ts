import { payload, selectsAny } from '@dcrm/kit';
import { customerAudience, customerAudienceRanges, siteMessagesSend } from '../domain/audience.js';
import type { CustomerResolvers } from './context.js';

/** Service-only: campaign audiences and batched inbox messages for the promotion subgraph. */
export const audienceResolvers: CustomerResolvers = {
  Query: {
    // Consents only when asked: unread, they are never served.
    customerAudience: (_, args, ctx, info) =>
      customerAudience(
        ctx.em,
        ctx.principal,
        args.rules,
        args.after ?? null,
        args.first ?? 1000,
        selectsAny(info, ['emailConsent', 'smsConsent']),
      ),
    customerAudienceRanges: (_, args, ctx) =>
      customerAudienceRanges(ctx.em, ctx.principal, args.rules, args.after ?? null, args.size ?? 5000),
  },
  Mutation: {
    siteMessagesSend: async (_, { input }, ctx) => {
      const result = await siteMessagesSend(ctx.em, ctx.principal, input.messages);
      const { counts, userErrors } = payload('counts', result);
      return { ...(counts ?? { sent: 0, duplicates: 0, skipped: 0 }), userErrors };
    },
  },
};
