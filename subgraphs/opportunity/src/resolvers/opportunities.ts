import { isUuid, notFound, pageArgs, parsePage, toConnection } from '@dcrm/kit';
import { readScope } from '../domain/access.js';
import { opportunityFilter } from '../domain/work/access.js';
import { SORT_ARITY, searchOpportunities, sortKey } from '../entities/index.js';
import type { OpportunityResolvers } from './context.js';

/** Opportunities: Query.opportunities/opportunity, type Opportunity, Customer.opportunities. */
export const opportunityResolvers: OpportunityResolvers = {
  Query: {
    opportunities: async (_, args, ctx) => {
      const sort = args.sort ?? 'NEWEST';
      const page = parsePage(args, sort, SORT_ARITY[sort]);
      readScope(ctx.principal);
      // The segment scope's, owned and shared ones: one statement (domain/work/access.ts).
      const reach = opportunityFilter(ctx.principal, 'read');
      if (!reach) return toConnection([], page, sort, () => []);
      const rows = await searchOpportunities(ctx.em, reach, args.filter ?? {}, sort, page);
      for (const row of rows) ctx.loaders.opportunity.prime(row.id, row);
      return toConnection(rows, page, sort, (o) => sortKey(sort, o));
    },
    opportunity: async (_, { id }, ctx) => {
      readScope(ctx.principal);
      const opportunity = isUuid(id) ? await ctx.loaders.opportunity.load(id) : null;
      if (!opportunity) throw notFound('Opportunity');
      return opportunity;
    },
  },
  Opportunity: {
    __resolveReference: (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.opportunity.load(ref.id) : null),
    customer: (o) => (o.customerId ? { id: o.customerId } : null),
    lead: (o, _, ctx) => (o.leadId ? ctx.loaders.lead.load(o.leadId) : null),
  },
  Customer: {
    opportunities: (c, args, ctx) => ctx.loaders.customerOpportunities.load({ parent: c.id, ...pageArgs(args) }),
  },
};
