import { byId, groupedBy, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { salesScope } from './domain/access.js';
import { leadDuplicatesLoader } from './domain/lead-duplicates-loader.js';
import type { OpportunityServices } from './domain/services.js';
import { opportunityFilter } from './domain/work/access.js';
import { type ILead, type IOpportunity, Lead, type LeadCounts, leadCountsBy, Opportunity } from './entities/index.js';
import { createPipelineLoaders } from './pipeline-loaders.js';
import { createWorkLoaders } from './work-loaders.js';

export type OpportunityLoaders = ReturnType<typeof createOpportunityLoaders>;

/** Per-request loaders; every one keeps to the rows the principal may see (`salesScope`). */
export function createOpportunityLoaders(em: EntityManager, principal: Principal, _services: OpportunityServices) {
  const scope = salesScope(principal);
  // Opportunities: the segment scope's and (staff) those owned or shared, in one statement (domain/work/access.ts).
  const reach = opportunityFilter(principal, 'read');
  const none = <T>() => Promise.resolve([] as T[]);
  return {
    scope,
    ...createPipelineLoaders(em, scope),
    ...createWorkLoaders(em),
    lead: byId<ILead>(
      (ids) => (scope ? em.find(Lead, { $and: [scope, { id: { $in: [...ids] } }] }) : none()),
      (l) => l.id,
    ),
    opportunity: byId<IOpportunity>(
      (ids) => (reach ? em.find(Opportunity, { $and: [reach, { id: { $in: [...ids] } }] }) : none()),
      (o) => o.id,
    ),
    customerLeads: groupedBy<ILead>(
      (ids) => (scope ? em.find(Lead, { $and: [scope, { customerId: { $in: [...ids] } }] }, { orderBy: { id: 'desc' } }) : none()),
      (l) => l.customerId as string,
    ),
    campaignLeads: groupedBy<ILead>(
      (ids) => (scope ? em.find(Lead, { $and: [scope, { campaignId: { $in: [...ids] } }] }, { orderBy: { id: 'desc' } }) : none()),
      (l) => l.campaignId as string,
    ),
    // Counts per campaign and per account, one statement per request whatever the number of them.
    campaignLeadCounts: new DataLoader<string, LeadCounts | null>((ids) =>
      scope ? leadCountsBy(em, scope, 'campaign_id', ids) : Promise.resolve(ids.map(() => null)),
    ),
    customerLeadCounts: new DataLoader<string, LeadCounts | null>((ids) =>
      scope ? leadCountsBy(em, scope, 'customer_id', ids) : Promise.resolve(ids.map(() => null)),
    ),
    customerOpportunities: groupedBy<IOpportunity>(
      (ids) => (reach ? em.find(Opportunity, { $and: [reach, { customerId: { $in: [...ids] } }] }, { orderBy: { id: 'desc' } }) : none()),
      (o) => o.customerId as string,
    ),
    /** Possible duplicates of leads (scoring, dedupe, import): candidates per storefront in one query. */
    leadDuplicates: leadDuplicatesLoader(em),
    // Sale orders: the opportunity an order came from, within scope.
    orderOpportunity: byId<IOpportunity>(
      (ids) => (reach ? em.find(Opportunity, { $and: [reach, { orderId: { $in: [...ids] } }] }) : none()),
      (o) => o.orderId as string,
    ),
  };
}
