import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { OfferTemplate } from './campaign.entity.js';

export const OFFER_STATUSES = ['NEW', 'SEEN', 'ACCEPTED', 'DISMISSED', 'REDEEMED', 'EXPIRED'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];
export type OfferSource = 'CAMPAIGN' | 'REAL_TIME' | 'AGENT' | 'STOREFRONT';

/**
 * A personal offer (customer set; segment and partner copied from the account for staff and partner
 * access) or a public one of the storefront (customer null). `dedupeKey` makes creation idempotent:
 * one offer per campaign and customer, one per rule, customer, product and cooldown period.
 */
export const Offer = defineEntity({
  name: 'Offer',
  tableName: 'offer',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    customerId: p.uuid().nullable(),
    segment: p.string().nullable(),
    partnerId: p.uuid().nullable(),
    source: p.enum(['CAMPAIGN', 'REAL_TIME', 'AGENT', 'STOREFRONT'] as const),
    campaignId: p.uuid().nullable(),
    ruleId: p.uuid().nullable(),
    promotionId: p.uuid().nullable(),
    productId: p.uuid().nullable(),
    title: p.string(),
    message: p.text(),
    content: p.text().nullable(),
    link: p.string().nullable(),
    imageUrl: p.string().nullable(),
    couponCode: p.string().nullable(),
    score: p.double().default(0),
    status: p.enum(OFFER_STATUSES).default('NEW'),
    dedupeKey: p.string().nullable().unique(),
    createdAt: columns.createdAt(),
    expiresAt: p.datetime().nullable(),
    seenAt: p.datetime().nullable(),
    clickedAt: p.datetime().nullable(),
    dismissedAt: p.datetime().nullable(),
    redeemedAt: p.datetime().nullable(),
    convertedAt: p.datetime().nullable(),
    revenue: p.decimal('string').precision(12).scale(2).nullable(),
    /** What the converting order charges every month (tax included), for recurring revenue. */
    revenueRecurring: p.decimal('string').precision(12).scale(2).nullable(),
  },
});
export type IOffer = InferEntity<typeof Offer>;

export const OfferRule = defineEntity({
  name: 'OfferRule',
  tableName: 'offer_rule',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    name: p.string(),
    event: p.enum(['PRODUCT_VIEWED', 'CART_ABANDONED', 'ORDER_PLACED', 'TICKET_RESOLVED'] as const),
    threshold: p.integer().default(1),
    windowMinutes: p.integer().default(1440),
    cooldownMinutes: p.integer().default(1440),
    template: p.json<OfferTemplate>(),
    promotionId: p.uuid().nullable(),
    offerTtlHours: p.integer().default(48),
    score: p.double().default(60),
    active: p.boolean().default(true),
    createdAt: columns.createdAt(),
    version: columns.version(),
  },
});
export type IOfferRule = InferEntity<typeof OfferRule>;
