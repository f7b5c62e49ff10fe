import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { Action, Condition } from '../domain/promotion.types.js';

/** A promotion as data; `usageCount` counts reserved and redeemed checkouts (kept under a row lock). */
export const PromotionRow = defineEntity({
  name: 'Promotion',
  tableName: 'promotion',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    name: p.string(),
    description: p.text().nullable(),
    priority: p.integer().default(0),
    stacking: p.enum(['EXCLUSIVE', 'COMBINABLE'] as const).default('COMBINABLE'),
    couponCode: p.string().nullable(),
    usageLimit: p.integer().nullable(),
    perCustomerLimit: p.integer().nullable(),
    usageCount: p.integer().default(0),
    conditions: p.json<Condition[]>(),
    actions: p.json<Action[]>(),
    messages: p.json<Record<string, string>>(),
    active: p.boolean().default(true),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type IPromotion = InferEntity<typeof PromotionRow>;

/** One promotion used by one checkout (idempotency key); RELEASED when that checkout did not complete. */
export const Redemption = defineEntity({
  name: 'Redemption',
  tableName: 'redemption',
  properties: {
    id: columns.id(),
    promotionId: p.uuid(),
    storefrontId: p.uuid(),
    customerId: p.uuid().nullable(),
    idempotencyKey: p.string(),
    status: p.enum(['RESERVED', 'RELEASED'] as const).default('RESERVED'),
    oneOff: p.decimal('string').precision(12).scale(2),
    recurring: p.decimal('string').precision(12).scale(2),
    createdAt: columns.createdAt(),
  },
});
export type IRedemption = InferEntity<typeof Redemption>;
