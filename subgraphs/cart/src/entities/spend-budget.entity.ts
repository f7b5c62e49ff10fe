import { columns, SPEND_PERIODS } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * A business account's spend budget for one calendar period kind (one per account and period). Lives
 * beside the orders it limits, so checkout can lock it and count the period's orders in one transaction.
 */
export const SpendBudget = defineEntity({
  name: 'SpendBudget',
  tableName: 'spend_budget',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    customerId: p.uuid(),
    /** Copied from the account when set, for staff segment and partner access (as orders). */
    segment: p.string(),
    partnerId: p.uuid().nullable(),
    period: p.enum(SPEND_PERIODS),
    amount: p.decimal('string').precision(12).scale(2),
    currencyCode: p.string().length(3),
    /** No single order above this without approval; null: no per-order limit. */
    perOrderLimit: p.decimal('string').precision(12).scale(2).nullable(),
    /** The IANA zone whose calendar the period follows. */
    timeZone: p.string(),
    /** Who set it last: the holder's customer id or the staff member's id. */
    setBy: p.uuid(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type ISpendBudget = InferEntity<typeof SpendBudget>;
