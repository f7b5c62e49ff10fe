import type { TotalsData } from '@dcrm/kit';
import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const ORDER_STATUSES = ['PLACED', 'PROVISIONING', 'ACTIVE', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

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
    cartId: p.uuid().unique(),
    idempotencyKey: p.string(),
    status: p.enum(ORDER_STATUSES).default('PLACED'),
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

/** Domain events written in the same transaction as the change, published after commit. */
export const Outbox = defineEntity({
  name: 'Outbox',
  tableName: 'outbox',
  properties: {
    id: columns.id(),
    type: p.string(),
    payload: p.json<Record<string, unknown>>(),
    createdAt: columns.createdAt(),
    publishedAt: p.datetime().nullable(),
  },
});
