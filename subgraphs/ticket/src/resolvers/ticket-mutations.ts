import { payload } from '@dcrm/kit';
import { ticketCommentAdd } from '../domain/comments.js';
import { notifyAssigned } from '../domain/sla/assignment.js';
import { tellStaffOfReply } from '../domain/staff-notice.js';
import { ticketCreate } from '../domain/ticket-create.js';
import { ticketAssign, ticketConfirmResolution, ticketTransition, ticketUpdate } from '../domain/ticket-write.js';
import type { TicketResolvers } from './context.js';

/** Mutation.ticketCreate/Update/Assign/Transition/ConfirmResolution/CommentAdd: one domain function each. */
export const ticketMutationResolvers: TicketResolvers = {
  Mutation: {
    ticketCreate: async (_, { input }, ctx) => payload('ticket', await ticketCreate(ctx.em, ctx.services, ctx.principal, input)),
    ticketUpdate: async (_, { input }, ctx) => payload('ticket', await ticketUpdate(ctx.em, ctx.principal, input, ctx.services)),
    ticketAssign: async (_, { input }, ctx) => {
      const result = await ticketAssign(ctx.em, ctx.services, ctx.principal, input);
      // The new assignee is told after the commit (`ticket.assigned`).
      if (result.ok && input.assigneeStaffId) await notifyAssigned(ctx.em, ctx.services, result.value);
      return payload('ticket', result);
    },
    ticketTransition: async (_, { input }, ctx) => {
      const result = await ticketTransition(ctx.em, ctx.services, ctx.principal, input);
      // The customer's side reopening a ticket tells its handlers (after the commit).
      if (result.ok && ctx.principal.kind !== 'staff' && ['ACKNOWLEDGED', 'IN_PROGRESS'].includes(result.value.status)) {
        const kind = ctx.principal.kind === 'partner' ? 'PARTNER' : 'CUSTOMER';
        await tellStaffOfReply(ctx.services, result.value, {
          kind: 'REOPENED',
          actor: kind,
          body: input.reason,
          key: `${result.value.id}:v${result.value.version}`,
        });
      }
      return payload('ticket', result);
    },
    ticketConfirmResolution: async (_, { input }, ctx) => {
      const result = await ticketConfirmResolution(ctx.em, ctx.services, ctx.principal, input.id);
      if (result.ok)
        await tellStaffOfReply(ctx.services, result.value, { kind: 'CONFIRMED', actor: 'CUSTOMER', key: `${result.value.id}:confirmed` });
      return payload('ticket', result);
    },
    ticketCommentAdd: async (_, { input }, ctx) => {
      const result = await ticketCommentAdd(ctx.em, ctx.services, ctx.principal, input);
      const comment = result.ok ? result.value.comment : null;
      // A public reply from the customer's side tells the ticket's handlers (after the commit).
      if (result.ok && comment && !comment.internal && comment.authorKind !== 'STAFF') {
        await tellStaffOfReply(ctx.services, result.value.ticket, {
          kind: 'COMMENT',
          actor: comment.authorKind,
          body: comment.body,
          key: comment.id,
        });
      }
      return result.ok
        ? { comment: result.value.comment, ticket: result.value.ticket, userErrors: [] }
        : { comment: null, ticket: null, userErrors: result.errors };
    },
  },
};
