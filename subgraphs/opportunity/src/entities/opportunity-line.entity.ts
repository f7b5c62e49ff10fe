import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { OPPORTUNITY_STATUSES } from './opportunity.entity.js';

/** A plan or offer of an opportunity, priced from the catalog when written (a snapshot). */
export const OpportunityLine = defineEntity({
  name: 'OpportunityLine',
  tableName: 'opportunity_line',
  properties: {
    id: columns.id(),
    opportunityId: p.uuid(),
    storefrontId: p.uuid(),
    productId: p.uuid(),
    name: p.string(),
    kind: p.string(),
    quantity: p.integer(),
    position: p.integer(),
    /** Unit prices as the catalog gave them. */
    oneOff: p.decimal('string').precision(14).scale(2).nullable(),
    monthly: p.decimal('string').precision(14).scale(2).nullable(),
    currency: p.string().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
  },
});
export type IOpportunityLine = InferEntity<typeof OpportunityLine>;

/** One stage change of an opportunity (its creation too): who, when, why. */
export const OpportunityHistory = defineEntity({
  name: 'OpportunityHistory',
  tableName: 'opportunity_history',
  properties: {
    id: columns.id(),
    opportunityId: p.uuid(),
    storefrontId: p.uuid(),
    fromStage: p.string().nullable(),
    toStage: p.string(),
    toStatus: p.enum(OPPORTUNITY_STATUSES),
    actorKind: p.string(),
    actorId: p.string().nullable(),
    reasonCode: p.string().nullable(),
    reasonLabel: p.string().nullable(),
    competitor: p.string().nullable(),
    note: p.text().nullable(),
    at: p.datetime(),
  },
});
export type IOpportunityHistory = InferEntity<typeof OpportunityHistory>;
