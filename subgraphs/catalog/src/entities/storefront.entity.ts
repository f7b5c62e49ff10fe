import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export type ThemeData = { primaryColor: string; secondaryColor: string; accentColor: string; logoUrl: string; fontFamily: string };

export const Storefront = defineEntity({
  name: 'Storefront',
  tableName: 'storefront',
  properties: {
    id: columns.id(),
    slug: p.string().unique(),
    name: p.string(),
    currencyCode: p.string().length(3),
    locale: p.string(),
    /** IANA time zone of the brand's calendar, e.g. Europe/Dublin (spend budgets' periods). */
    timeZone: p.string().default('UTC'),
    theme: p.json<ThemeData>(),
    /** Canonical browser origins (`scheme://host[:port]`) its web apps may call the API from. */
    allowedOrigins: p.array().default([]),
    createdAt: columns.createdAt(),
  },
});
export type IStorefront = InferEntity<typeof Storefront>;

export const Store = defineEntity({
  name: 'Store',
  tableName: 'store',
  properties: {
    id: columns.id(),
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
