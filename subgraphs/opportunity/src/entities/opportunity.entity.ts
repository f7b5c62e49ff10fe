import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const OPPORTUNITY_TYPES = ['NEW_CUSTOMER', 'UPSELL', 'CROSS_SELL', 'RENEWAL', 'WIN_BACK', 'MIGRATION'] as const;
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number];

/** TMF699 SalesOpportunity status; the stage (data) decides it. */
export const OPPORTUNITY_STATUSES = ['OPEN', 'WON', 'LOST', 'REJECTED', 'CANCELLED'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

export const Opportunity = defineEntity({
  name: 'Opportunity',
  tableName: 'opportunity',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    customerId: p.uuid().nullable(),
    leadId: p.uuid().nullable(),
    partnerId: p.uuid().nullable(),
    /** Market segment, for staff access (`segment:<code>` roles). */
    segment: p.string().default('consumer'),
    ownerStaffId: p.uuid().nullable(),
    name: p.string(),
    description: p.text().nullable(),
    type: p.enum(OPPORTUNITY_TYPES).default('NEW_CUSTOMER'),
    category: p.string().nullable(),
    /** The stage's code; stages are data of the storefront's pipeline. */
    stage: p.string().default('PROSPECTING'),
    status: p.enum(OPPORTUNITY_STATUSES).default('OPEN'),
    createdBy: p.string().nullable(),
    /** The cart's order it was converted to (`opportunityConvert`), once. */
    orderId: p.uuid().nullable(),
    /** The key of the conversion that claimed it. */
    conversionKey: p.string().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type IOpportunity = InferEntity<typeof Opportunity>;
