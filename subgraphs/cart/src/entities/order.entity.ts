import type { TotalsData } from '@dcrm/kit';
import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** PENDING_APPROVAL: over a spend budget, waiting for the account holder; REJECTED: the holder said no. */
export const ORDER_STATUSES = ['PLACED', 'PROVISIONING', 'ACTIVE', 'CANCELLED', 'PENDING_APPROVAL', 'REJECTED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_SOURCE_KINDS = ['OPPORTUNITY', 'QUOTE'] as const;
export type OrderSourceKind = (typeof ORDER_SOURCE_KINDS)[number];

export const Order = defineEntity({
  name: 'Order',
  tableName: 'customer_order',
  properties: {
    id: columns.id(),
    number: p.string().unique(),
    storefrontId: p.uuid(),
    customerId: p.uuid(),
    /** Copied from the account at checkout, for partner and segment access to orders. */
    partnerId: p.uuid().nullable(),
    segment: p.string(),
    /** The cart it was checked out from; null for an order placed from a sale (`sourceKind`). */
    /**
     * The buyer and every account above it when the order was placed, nearest first: the budgets it
     * spends roll up this path (spend control). Orders placed before it was recorded have the buyer alone.
     */
    accountPath: p.array<string>().columnType('uuid[]'),
    cartId: p.uuid().unique().nullable(),
    /** The sale it was placed from: OPPORTUNITY or QUOTE with its id; null for a checkout. */
    sourceKind: p.enum(ORDER_SOURCE_KINDS).nullable(),
    sourceId: p.uuid().nullable(),
    /** The staff member or partner user who placed a sale's order. */
    placedBy: p.uuid().nullable(),
    /** A sale order's request, hashed: the same key with another payload is refused. */
    requestDigest: p.string().nullable(),
    idempotencyKey: p.string(),
    status: p.enum(ORDER_STATUSES).default('PLACED'),
    /** A held order's approving account (whose holder, or a holder above it, decides: spend.ts); null otherwise. */
    approverId: p.uuid().nullable(),
    statusReason: p.string().nullable(),
    currencyCode: p.string().length(3),
    totals: p.json<TotalsData>(),
    placedAt: p.datetime().onCreate(() => new Date()),
    version: columns.version(),
  },
});
export type IOrder = InferEntity<typeof Order>;

export const OrderLine = defineEntity({
  name: 'OrderLine',
  tableName: 'order_line',
  properties: {
    id: columns.id(),
    order: () => p.manyToOne(Order),
    productId: p.uuid(),
    name: p.string(),
    quantity: p.integer(),
    recurringPrice: p.decimal('string').precision(12).scale(2).nullable(),
    oneOffPrice: p.decimal('string').precision(12).scale(2).nullable(),
    deposit: p.decimal('string').precision(12).scale(2).nullable(),
  },
});
export type IOrderLine = InferEntity<typeof OrderLine>;

export const OrderEvent = defineEntity({
  name: 'OrderEvent',
  tableName: 'order_event',
  properties: {
    id: columns.id(),
    order: () => p.manyToOne(Order),
    status: p.enum(ORDER_STATUSES),
    reason: p.string().nullable(),
    at: p.datetime().onCreate(() => new Date()),
  },
});
export type IOrderEvent = InferEntity<typeof OrderEvent>;
