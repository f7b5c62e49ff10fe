import { payload, type Resolvers } from '@dcrm/kit';
import { type AudienceFilter, customerAudience, type MessageItem, siteMessagesSend } from '../domain/audience.js';
import type { CustomerContext } from './context.js';

/** Service-only: campaign audiences and batched inbox messages for the promotion subgraph. */
export const audienceResolvers: Resolvers = {
  Query: {
    customerAudience: (_: unknown, args: { rules: AudienceFilter; after?: string | null; first?: number | null }, ctx: CustomerContext) =>
      customerAudience(ctx.em, ctx.principal, args.rules, args.after ?? null, args.first ?? 1000),
  },
  Mutation: {
    siteMessagesSend: async (_: unknown, { input }: { input: { messages: MessageItem[] } }, ctx: CustomerContext) => {
      const result = await siteMessagesSend(ctx.em, ctx.principal, input.messages);
      const { counts, userErrors } = payload('counts', result);
      return { ...(counts ?? { sent: 0, duplicates: 0, skipped: 0 }), userErrors };
    },
  },
};
