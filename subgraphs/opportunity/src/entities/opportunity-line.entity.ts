import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Opportunity } from './opportunity.entity.js';

/** A product the opportunity sells and how many; the catalog prices it when the sale is ordered. */
export const OpportunityLine = defineEntity({
  name: 'OpportunityLine',
  tableName: 'opportunity_line',
  properties: {
    id: columns.id(),
    opportunity: () => p.manyToOne(Opportunity),
    productId: p.uuid(),
    quantity: p.integer(),
    createdAt: columns.createdAt(),
  },
});
export type IOpportunityLine = InferEntity<typeof OpportunityLine>;
