import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Product } from './product.entity.js';
import { Storefront } from './storefront.entity.js';

export const PRICE_TYPES = ['RECURRING', 'ONE_OFF'] as const;
export type PriceType = (typeof PRICE_TYPES)[number];
export const TAX_CATEGORIES = ['STANDARD', 'REDUCED', 'ZERO', 'EXEMPT'] as const;
export const INTERVALS = ['MONTH', 'YEAR'] as const;

/**
 * A storefront's prices. Exactly one default list per storefront (customerId and segment null);
 * B2B account lists set `customerId`, segment lists set `segment`.
 */
export const PriceList = defineEntity({
  name: 'PriceList',
  tableName: 'price_list',
  properties: {
    id: columns.id(),
    storefront: () => p.manyToOne(Storefront),
    name: p.string(),
    currencyCode: p.string().length(3),
    customerId: p.uuid().nullable(),
    segment: p.string().nullable(),
    createdAt: columns.createdAt(),
  },
});
export type IPriceList = InferEntity<typeof PriceList>;

export const Price = defineEntity({
  name: 'Price',
  tableName: 'price',
  properties: {
    id: columns.id(),
    priceList: () => p.manyToOne(PriceList),
    product: () => p.manyToOne(Product),
    type: p.enum(PRICE_TYPES),
    amount: p.decimal('string').precision(12).scale(2),
    interval: p.enum(INTERVALS).nullable(),
    deposit: p.decimal('string').precision(12).scale(2).nullable(),
    taxCategory: p.enum(TAX_CATEGORIES).default('STANDARD'),
  },
});
export type IPrice = InferEntity<typeof Price>;
