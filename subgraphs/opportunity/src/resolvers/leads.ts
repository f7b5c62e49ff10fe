import { isUuid, notFound, parsePage, toConnection } from '@dcrm/kit';
import { readScope } from '../domain/access.js';
import { tmfLeadStatus } from '../domain/status.js';
import { leadsPage } from '../entities/index.js';
import type { OpportunityResolvers } from './context.js';

const cap = (first: number | null | undefined) => Math.max(0, Math.min(first ?? 20, 100));

/** Leads: Query.leads/lead, type Lead, Customer.leads. */
export const leadResolvers: OpportunityResolvers = {
  Query: {
    leads: async (_, args, ctx) => {
      const page = parsePage(args, 'NEWEST', 1);
      const scope = readScope(ctx.principal);
      if (!scope) return toConnection([], page, 'NEWEST', () => []);
      const rows = await leadsPage(ctx.em, scope, page);
      for (const row of rows) ctx.loaders.lead.prime(row.id, row);
      return toConnection(rows, page, 'NEWEST', (l) => [l.id]);
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
  },
  Customer: {
    leads: async (c, { first }, ctx) => (await ctx.loaders.customerLeads.load(c.id)).slice(0, cap(first)),
  },
};
