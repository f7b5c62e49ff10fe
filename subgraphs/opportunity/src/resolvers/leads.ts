import { isUuid, money, notFound, pageArgs, parsePage, toConnection } from '@dcrm/kit';
import { readScope } from '../domain/access.js';
import { tmfLeadStatus } from '../domain/status.js';
import { LEAD_SORT_KEYS, leadsPage } from '../entities/index.js';
import type { OpportunityResolvers } from './context.js';

/** Leads: Query.leads/lead, type Lead, Customer.leads/leadCounts, Campaign.leads/leadCounts. */
export const leadResolvers: OpportunityResolvers = {
  Query: {
    leads: async (_, args, ctx) => {
      const sort = args.sort ?? 'NEWEST';
      const keyOf = LEAD_SORT_KEYS[sort];
      const page = parsePage(args, `LEADS_${sort}`, sort === 'NEWEST' ? 1 : 2);
      const scope = readScope(ctx.principal);
      if (!scope) return toConnection([], page, `LEADS_${sort}`, keyOf);
      const rows = await leadsPage(ctx.em, scope, args.filter, sort, page);
      for (const row of rows) ctx.loaders.lead.prime(row.id, row);
      return toConnection(rows, page, `LEADS_${sort}`, keyOf);
    },
    lead: async (_, { id }, ctx) => {
      readScope(ctx.principal);
      const lead = isUuid(id) ? await ctx.loaders.lead.load(id) : null;
      if (!lead) throw notFound('Lead');
      return lead;
    },
  },
  Lead: {
    __resolveReference: (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.lead.load(ref.id) : null),
    tmfStatus: (l) => tmfLeadStatus(l.status),
    customer: (l) => (l.customerId ? { id: l.customerId } : null),
    products: (l) => l.productIds.map((id) => ({ id })),
    budget: (l) => (l.budgetAmount && l.budgetCurrency ? money(l.budgetAmount, l.budgetCurrency) : null),
    campaign: (l) => (l.campaignId ? { id: l.campaignId } : null),
    duplicateOf: (l, _, ctx) => (l.duplicateOf ? ctx.loaders.lead.load(l.duplicateOf) : null),
  },
  Customer: {
    leads: (c, args, ctx) => ctx.loaders.customerLeads.load({ parent: c.id, ...pageArgs(args) }),
    leadCounts: (c, _, ctx) => ctx.loaders.customerLeadCounts.load(c.id),
  },
  Campaign: {
    __resolveReference: (ref) => (isUuid(ref.id) ? { id: ref.id } : null),
    leads: (c, args, ctx) => ctx.loaders.campaignLeads.load({ parent: c.id, ...pageArgs(args) }),
    leadCounts: (c, _, ctx) => ctx.loaders.campaignLeadCounts.load(c.id),
  },
};
