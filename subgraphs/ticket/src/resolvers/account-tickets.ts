import { badInput, isUuid } from '@dcrm/kit';
import type { TicketResolvers } from './context.js';

const limit = (first: number | null | undefined) => {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 0 || n > 100) throw badInput('first must be between 0 and 100', 'first');
  return n;
};

/**
 * Customer.tickets/outstandingIssues and Order.tickets: the owning subgraph decided the account or
 * order is visible; ticket rows carry segment and partner, so the same rule applies here again.
 */
export const accountTicketResolvers: TicketResolvers = {
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    tickets: async (c, args, ctx) => {
      const n = limit(args.first);
      return isUuid(c.id) ? (await ctx.loaders.customerTickets(args.status).load(c.id)).slice(0, n) : [];
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
    tickets: (o, _, ctx) => (isUuid(o.id) ? ctx.loaders.orderTickets.load(o.id) : []),
  },
};
