import { newId } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export type ThemeData = { primaryColor: string; secondaryColor: string; accentColor: string; logoUrl: string; fontFamily: string };

export const Storefront = defineEntity({
  name: 'Storefront',
  tableName: 'storefront',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    slug: p.string().unique(),
    name: p.string(),
    currencyCode: p.string().length(3),
    locale: p.string(),
    theme: p.json<ThemeData>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IStorefront = InferEntity<typeof Storefront>;

/** A public storefront key (anonymous shopper of one brand). Only a SHA-256 of the key is stored. */
export const StorefrontKey = defineEntity({
  name: 'StorefrontKey',
  tableName: 'storefront_key',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    storefront: () => p.manyToOne(Storefront),
    name: p.string(),
    prefix: p.string(),
    hash: p.string().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
  },
});
export type IStorefrontKey = InferEntity<typeof StorefrontKey>;

export const Store = defineEntity({
  name: 'Store',
  tableName: 'store',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    storefront: () => p.manyToOne(Storefront),
    name: p.string(),
    line1: p.string(),
    city: p.string(),
    postcode: p.string(),
    country: p.string().length(2),
    latitude: p.double(),
    longitude: p.double(),
    phone: p.string(),
    openingHours: p.string(),
  },
});
export type IStore = InferEntity<typeof Store>;
