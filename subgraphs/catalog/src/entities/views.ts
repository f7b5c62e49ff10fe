import type { AttributeData, ImageData, ProductKind, ProductStatus } from './product.entity.js';

/** What the GraphQL layer reads: plain rows, mapped once from SQL (lists) or from entities (writes). */
export type ProductView = {
  id: string;
  slug: string;
  name: string;
  kind: ProductKind;
  status: ProductStatus;
  description: string;
  categoryId: string | null;
  attributes: AttributeData[];
  images: ImageData[];
  createdAt: Date;
  updatedAt: Date;
};

export type CategoryView = { id: string; slug: string; name: string; parentId: string | null; position: number };

export type PriceView = {
  id: string;
  productId: string;
  type: 'RECURRING' | 'ONE_OFF';
  amount: string;
  interval: 'MONTH' | 'YEAR' | null;
  deposit: string | null;
  taxCategory: string;
  priceListId: string;
  listName: string;
  currencyCode: string;
  listCustomerId: string | null;
  listSegment: string | null;
};

/** A price list as `Price.priceList` and the `PriceList` entity both provide it. */
export type PriceListView = { id: string; name: string; currencyCode: string; customerId?: string | null; segment?: string | null };

export type StoreView = {
  id: string;
  name: string;
  address: { line1: string; city: string; postcode: string; country: string };
  latitude: number;
  longitude: number;
  phone: string;
  openingHours: string;
  distanceKm: number | null;
};

/** A customer account (owned by the customer subgraph) as catalog knows it: by id. */
export type CustomerRef = { id: string };

type Row = Record<string, unknown>;

export function productView(row: Row): ProductView {
  return {
    id: row.id as string,
    slug: row.slug as string,
    name: row.name as string,
    kind: row.kind as ProductKind,
    status: row.status as ProductStatus,
    description: row.description as string,
    categoryId: (row.category_id as string | null) ?? null,
    attributes: (row.attributes as AttributeData[]) ?? [],
    images: (row.images as ImageData[]) ?? [],
    createdAt: new Date(row.created_at as string),
    updatedAt: new Date(row.updated_at as string),
  };
}

export function categoryView(row: Row): CategoryView {
  return {
    id: row.id as string,
    slug: row.slug as string,
    name: row.name as string,
    parentId: (row.parent_id as string | null) ?? null,
    position: row.position as number,
  };
}

export function priceView(row: Row): PriceView {
  return {
    id: row.id as string,
    productId: row.product_id as string,
    type: row.type as PriceView['type'],
    amount: row.amount as string,
    interval: (row.interval as PriceView['interval']) ?? null,
    deposit: (row.deposit as string | null) ?? null,
    taxCategory: row.tax_category as string,
    priceListId: row.price_list_id as string,
    listName: row.list_name as string,
    currencyCode: row.currency_code as string,
    listCustomerId: (row.customer_id as string | null) ?? null,
    listSegment: (row.segment as string | null) ?? null,
  };
}

export function storeView(row: Record<string, unknown>): StoreView {
  return {
    id: row.id as string,
    name: row.name as string,
    address: { line1: row.line1 as string, city: row.city as string, postcode: row.postcode as string, country: row.country as string },
    latitude: row.latitude as number,
    longitude: row.longitude as number,
    phone: row.phone as string,
    openingHours: row.opening_hours as string,
    distanceKm: row.distance_km == null ? null : Math.round((row.distance_km as number) * 100) / 100,
  };
}
