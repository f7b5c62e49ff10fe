import { payload } from '@dcrm/kit';
import { ticketCommentAdd } from '../domain/comments.js';
import { ticketCreate } from '../domain/ticket-create.js';
import { ticketAssign, ticketConfirmResolution, ticketTransition, ticketUpdate } from '../domain/ticket-write.js';
import type { TicketResolvers } from './context.js';

/** Mutation.ticketCreate/Update/Assign/Transition/ConfirmResolution/CommentAdd: one domain function each. */
export const ticketMutationResolvers: TicketResolvers = {
  Mutation: {
    ticketCreate: async (_, { input }, ctx) => payload('ticket', await ticketCreate(ctx.em, ctx.services, ctx.principal, input)),
    ticketUpdate: async (_, { input }, ctx) => payload('ticket', await ticketUpdate(ctx.em, ctx.principal, input)),
    ticketAssign: async (_, { input }, ctx) => payload('ticket', await ticketAssign(ctx.em, ctx.services, ctx.principal, input)),
    ticketTransition: async (_, { input }, ctx) => payload('ticket', await ticketTransition(ctx.em, ctx.services, ctx.principal, input)),
    ticketConfirmResolution: async (_, { input }, ctx) =>
      payload('ticket', await ticketConfirmResolution(ctx.em, ctx.services, ctx.principal, input.id)),
    ticketCommentAdd: async (_, { input }, ctx) => {
      const result = await ticketCommentAdd(ctx.em, ctx.services, ctx.principal, input);
      return result.ok
        ? { comment: result.value.comment, ticket: result.value.ticket, userErrors: [] }
        : { comment: null, ticket: null, userErrors: result.errors };
    },
  },
};
