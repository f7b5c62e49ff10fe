import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Storefront } from './storefront.entity.js';

export const PRODUCT_KINDS = ['PLAN', 'ADDON', 'DEVICE', 'BUNDLE'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export const PRODUCT_STATUSES = ['DRAFT', 'ACTIVE', 'ARCHIVED'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export type AttributeData = { key: string; label: string; value: string; unit?: string | null };
export type ImageData = { url: string; altText: string };

export const Category = defineEntity({
  name: 'Category',
  tableName: 'category',
  properties: {
    id: columns.id(),
    slug: p.string().unique(),
    name: p.string(),
    parent: () => p.manyToOne(Category).nullable(),
    position: p.integer().default(0),
  },
});
export type ICategory = InferEntity<typeof Category>;

/** `search` is a generated tsvector column (see the migration); the ORM never writes it. */
export const Product = defineEntity({
  name: 'Product',
  tableName: 'product',
  properties: {
    id: columns.id(),
    slug: p.string().unique(),
    name: p.string(),
    kind: p.enum(PRODUCT_KINDS),
    status: p.enum(PRODUCT_STATUSES).default('DRAFT'),
    description: p.text(),
    category: () => p.manyToOne(Category).nullable(),
    attributes: p.json<AttributeData[]>(),
    images: p.json<ImageData[]>(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
  },
});
export type IProduct = InferEntity<typeof Product>;

/** Which add-ons can be bought with a product. */
export const ProductAddon = defineEntity({
  name: 'ProductAddon',
  tableName: 'product_addon',
  properties: {
    product: () => p.manyToOne(Product).primary(),
    addon: () => p.manyToOne(Product).primary(),
  },
});

/** The components of a BUNDLE. */
export const BundleItem = defineEntity({
  name: 'BundleItem',
  tableName: 'bundle_item',
  properties: {
    bundle: () => p.manyToOne(Product).primary(),
    item: () => p.manyToOne(Product).primary(),
    quantity: p.integer().default(1),
  },
});

/** A storefront's assortment, in merchandising order. */
export const StorefrontProduct = defineEntity({
  name: 'StorefrontProduct',
  tableName: 'storefront_product',
  properties: {
    storefront: () => p.manyToOne(Storefront).primary(),
    product: () => p.manyToOne(Product).primary(),
    position: p.integer().default(0),
    /** The storefront's headline list price, maintained by price and assortment writes (see domain/list-amount.ts). */
    listAmount: p.decimal('string').precision(12).scale(2).nullable(),
  },
});
