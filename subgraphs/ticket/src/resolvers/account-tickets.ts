import { emptyConnection, isUuid, pageArgs, parsePage } from '@dcrm/kit';
import type { TicketResolvers } from './context.js';

/**
 * Customer.tickets/outstandingIssues and Order.tickets: the owning subgraph decided the account or
 * order is visible; ticket rows carry segment and partner, so the same rule applies here again.
 */
export const accountTicketResolvers: TicketResolvers = {
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    tickets: (c, args, ctx) => {
      if (isUuid(c.id)) return ctx.loaders.customerTickets.load({ parent: c.id, ...pageArgs(args), filter: args.status ?? null });
      parsePage(args, 'NEWEST', 2);
      return emptyConnection();
    },
    outstandingIssues: async (c, _, ctx) => {
      const empty = { openCount: 0, breachedCount: 0, oldestOpenAt: null };
      if (!isUuid(c.id)) return empty;
      const found = await ctx.loaders.outstanding.load(c.id);
      return found ? { openCount: found.openCount, breachedCount: found.breachedCount, oldestOpenAt: found.oldestOpenAt } : empty;
    },
  },
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    tickets: (o, args, ctx) => {
      if (isUuid(o.id)) return ctx.loaders.orderTickets.load({ parent: o.id, ...pageArgs(args) });
      parsePage(args, 'NEWEST', 2);
      return emptyConnection();
    },
  },
};
