import { byId, cursorId, type OrmKey, type Principal, parentPages, windowByParent } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { salesScope } from './domain/access.js';
import { leadDuplicatesLoader } from './domain/lead-duplicates-loader.js';
import type { OpportunityServices } from './domain/services.js';
import { opportunityFilter } from './domain/work/access.js';
import { type ILead, type IOpportunity, Lead, type LeadCounts, leadCountsBy, Opportunity } from './entities/index.js';
import { createPipelineLoaders } from './pipeline-loaders.js';
import { createWorkLoaders } from './work-loaders.js';

// Newest first: v7 ids are time-ordered.
const NEWEST_KEYS: OrmKey[] = [{ field: 'id', dir: 'desc', parse: cursorId }];

export type OpportunityLoaders = ReturnType<typeof createOpportunityLoaders>;

/** Per-request loaders; every one keeps to the rows the principal may see (`salesScope`). */
export function createOpportunityLoaders(em: EntityManager, principal: Principal, _services: OpportunityServices) {
  const scope = salesScope(principal);
  // Opportunities: the segment scope's and (staff) those owned or shared, in one statement (domain/work/access.ts).
  const reach = opportunityFilter(principal, 'read');
  const none = <T>() => Promise.resolve([] as T[]);
  const leadsByParent = (parent: 'customerId' | 'campaignId') =>
    parentPages<ILead>((parents, page) => (scope ? windowByParent(em, Lead, parent, parents, scope, NEWEST_KEYS, page) : none()), {
      sort: 'LEADS_NEWEST',
      arity: 1,
      keyOf: (l) => [l.id],
      parentOf: (l) => l[parent] ?? null,
    });
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
    // Pages of a parent's leads, newest first: one statement per page request, however many parents.
    customerLeads: leadsByParent('customerId'),
    campaignLeads: leadsByParent('campaignId'),
    // Counts per campaign and per account, one statement per request whatever the number of them.
    campaignLeadCounts: new DataLoader<string, LeadCounts | null>((ids) =>
      scope ? leadCountsBy(em, scope, 'campaign_id', ids) : Promise.resolve(ids.map(() => null)),
    ),
    customerLeadCounts: new DataLoader<string, LeadCounts | null>((ids) =>
      scope ? leadCountsBy(em, scope, 'customer_id', ids) : Promise.resolve(ids.map(() => null)),
    ),
    customerOpportunities: parentPages<IOpportunity>(
      (parents, page) => (reach ? windowByParent(em, Opportunity, 'customerId', parents, reach, NEWEST_KEYS, page) : none()),
      { sort: 'NEWEST', arity: 1, keyOf: (o) => [o.id], parentOf: (o) => o.customerId ?? null },
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
