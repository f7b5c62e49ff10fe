import { forbidden, hasScope, isUuid, notFound, parsePage, toConnection } from '@dcrm/kit';
import { TICKET_READ } from '../domain/access.js';
import { SORT_KEYS, ticketsPage } from '../entities/index.js';
import type { TicketContext, TicketResolvers } from './context.js';

const ref = <T extends string>(typename: T, id: string | null | undefined) => (id ? { __typename: typename, id } : null);

/** Staff without `ticket:read` are refused outright rather than shown an empty list. */
function assertStaffMayRead(ctx: TicketContext) {
  if (ctx.principal.kind === 'staff' && !hasScope(ctx.principal, TICKET_READ)) throw forbidden(`Missing scope ${TICKET_READ}`);
}

/** Query.tickets/ticket and the Ticket type. */
export const ticketResolvers: TicketResolvers = {
  Query: {
    tickets: async (_, args, ctx) => {
      assertStaffMayRead(ctx);
      const sort = args.sort ?? 'NEWEST';
      const page = parsePage(args, sort, sort === 'PRIORITY' ? 3 : 2);
      const scope = await ctx.loaders.readScope();
      const rows = scope
        ? await ticketsPage(ctx.em, scope, { status: args.status, priority: args.priority, category: args.category }, sort, page)
        : [];
      return toConnection(rows, page, sort, SORT_KEYS[sort]);
    },
    ticket: async (_, { id }, ctx) => {
      assertStaffMayRead(ctx);
      const ticket = isUuid(id) ? await ctx.loaders.ticket.load(id) : null;
      if (!ticket) throw notFound('Ticket');
      return ticket;
    },
  },
  Ticket: {
    // Who may look tickets up is `@lookup` in the SDL; the loader keeps to the rows the caller may see.
    __resolveReference: (r, ctx) => (isUuid(r.id) ? ctx.loaders.ticket.load(r.id) : null),
    customer: (t) => ({ __typename: 'Customer', id: t.customerId }),
    raisedBy: (t) => ({ kind: t.raisedByKind, staff: t.raisedByKind === 'STAFF' ? ref('Staff', t.raisedById) : null }),
    relatedOrder: (t) => ref('Order', t.relatedOrderId),
    relatedProduct: (t) => ref('Product', t.relatedProductId),
    assignee: (t) => ref('Staff', t.assigneeStaffId),
  },
};
