import { hasScope, isUuid, notFound, type Principal, pageArgs } from '@dcrm/kit';
import { seesInternal, TICKET_WRITE } from '../domain/access.js';
import { movesFor } from '../domain/lifecycle.js';
import { type ActorKind, type ITicketAttachment, TicketAttachment } from '../entities/index.js';
import type { TicketResolvers } from './context.js';

const actor = (kind: ActorKind, id: string | null | undefined) => ({
  kind,
  staff: kind === 'STAFF' && id ? { __typename: 'Staff' as const, id } : null,
});

/** The kind of moves the caller makes on a ticket (null: none, e.g. staff without `ticket:write`). */
function moverOf(principal: Principal): ActorKind | null {
  if (principal.kind === 'customer') return 'CUSTOMER';
  if (principal.kind === 'partner') return 'PARTNER';
  if (principal.kind === 'staff' && hasScope(principal, TICKET_WRITE)) return 'STAFF';
  return null;
}

/** A ticket's comments, attachments and history (the ticket itself is already visible), and one attachment's content. */
export const ticketActivityResolvers: TicketResolvers = {
  Query: {
    ticketAttachment: async (_, { id }, ctx) => {
      const attachment = isUuid(id) ? await ctx.em.findOne(TicketAttachment, { id }, { populate: ['content'] }) : null;
      const ticket = attachment ? await ctx.loaders.ticket.load(attachment.ticketId) : null;
      if (!attachment || !ticket || (attachment.internal && !seesInternal(ctx.principal))) throw notFound('Attachment');
      return attachment;
    },
  },
  Ticket: {
    comments: (t, args, ctx) => ctx.loaders.comments.load({ parent: t.id, ...pageArgs(args), filter: false }),
    // Staff without `ticket:read` never reach here (`@internal`); the loader still keeps internal rows to staff.
    internalComments: (t, args, ctx) => ctx.loaders.comments.load({ parent: t.id, ...pageArgs(args), filter: true }),
    attachments: (t, args, ctx) => ctx.loaders.attachments.load({ parent: t.id, ...pageArgs(args) }),
    statusHistory: (t, args, ctx) => ctx.loaders.history.load({ parent: t.id, ...pageArgs(args) }),
    allowedTransitions: (t, _, ctx) => {
      const mover = moverOf(ctx.principal);
      return mover ? movesFor(t.status, mover) : [];
    },
  },
  TicketComment: {
    author: (c) => actor(c.authorKind, c.authorId),
  },
  TicketAttachment: {
    size: (a) => a.sizeBytes,
    uploadedBy: (a) => actor(a.uploadedByKind, a.uploadedById),
    // Lists load metadata only; the content is there when one attachment was read with it.
    contentBase64: (a: ITicketAttachment) => (Buffer.isBuffer(a.content) ? a.content.toString('base64') : null),
  },
  TicketStatusChange: {
    from: (h) => h.fromStatus ?? null,
    to: (h) => h.toStatus,
    actor: (h) => actor(h.actorKind, h.actorId),
  },
};
