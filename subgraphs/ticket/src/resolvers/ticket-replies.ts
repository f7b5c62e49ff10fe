import { ticketReplyReceive } from '../domain/reply-receive.js';
import { tellStaffOfReply } from '../domain/staff-notice.js';
import type { TicketResolvers } from './context.js';

/** Mutation.ticketReplyReceive (email and SMS replies from the inbound gateway) and TicketComment.channel. */
export const ticketReplyResolvers: TicketResolvers = {
  Mutation: {
    ticketReplyReceive: async (_, { input }, ctx) => {
      const result = await ticketReplyReceive(ctx.em, ctx.services, ctx.principal, input);
      if (!result.ok) return { comment: null, duplicate: false, userErrors: result.errors };
      const { comment, ticket, duplicate } = result.value;
      // After the commit, like a reply written in self-care; a duplicate told them already.
      if (!duplicate)
        await tellStaffOfReply(ctx.services, ticket, { kind: 'COMMENT', actor: 'CUSTOMER', body: comment.body, key: comment.id });
      return { comment, duplicate, userErrors: [] };
    },
  },
  TicketComment: {
    channel: (c) => c.channel ?? 'API',
  },
};
