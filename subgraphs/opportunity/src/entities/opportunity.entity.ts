import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const OPPORTUNITY_TYPES = ['NEW_CUSTOMER', 'UPSELL', 'CROSS_SELL', 'RENEWAL', 'WIN_BACK', 'MIGRATION'] as const;
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number];

/** TMF699 SalesOpportunity status; the stage (data) decides it. */
export const OPPORTUNITY_STATUSES = ['OPEN', 'WON', 'LOST', 'REJECTED', 'CANCELLED'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

/** The person to talk to about this sale. */
export type OpportunityContact = { name: string | null; email: string | null; mobile: string | null; role: string | null };
export type OpportunityAddress = {
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postcode: string | null;
  country: string | null;
};
export const CREDIT_CHECKS = ['NOT_STARTED', 'PENDING', 'PASSED', 'FAILED'] as const;
/** Credit details: the check's state, a bureau score and the limit granted. */
export type OpportunityCredit = { check: (typeof CREDIT_CHECKS)[number]; score: number | null; limit: string | null };
/** Custom field values by key (TEXT, SELECT, DATE as strings; NUMBER as number; BOOLEAN). */
export type CustomFieldValues = Record<string, string | number | boolean>;

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
    contact: p.json<OpportunityContact>().nullable(),
    address: p.json<OpportunityAddress>().nullable(),
    credit: p.json<OpportunityCredit>().nullable(),
    budgetAmount: p.decimal('string').precision(14).scale(2).nullable(),
    budgetCurrency: p.string().nullable(),
    /** The priced lines' sums (a snapshot taken when the lines were last written). */
    estimatedOneOff: p.decimal('string').precision(14).scale(2).default('0'),
    estimatedMonthly: p.decimal('string').precision(14).scale(2).default('0'),
    /** One-off plus twelve months: what "value" filters and sorts on. */
    estimatedFirstYear: p.decimal('string').precision(14).scale(2).default('0'),
    estimatedCurrency: p.string().nullable(),
    /** Expected close date while open; the day it closed once WON/LOST/REJECTED/CANCELLED. */
    closeDate: p.date().nullable(),
    closedAt: p.datetime().nullable(),
    closeReasonCode: p.string().nullable(),
    competitor: p.string().nullable(),
    customFields: p.json<CustomFieldValues>().defaultRaw("'{}'"),
    /** When it entered its current stage (idle escalation measures from here). */
    stageEnteredAt: p.datetime().nullable(),
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
