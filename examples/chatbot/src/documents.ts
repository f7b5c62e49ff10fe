import type { ProductFilter, ProductSort, TypedDocumentString } from '@dcrm/storefront-sdk';

// Operations the SDK has no ready-made function for, typed by hand against schema/views/storefront.graphql (a chatbot key is a storefront key).

type Money = { amount: string; currencyCode: string };

export type PlanNode = {
  id: string;
  slug: string;
  name: string;
  price: { amount: Money; interval: 'MONTH' | 'YEAR' | null } | null;
  attributes: Array<{ key: string; value: string; unit: string | null }>;
};

type Page<T> = { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
export type PlanSearchResult = { products: Page<PlanNode> };
export type CatalogNamesResult = { products: Page<{ id: string; slug: string; name: string; kind: string }> };

/** Products with their attributes (the SDK's `getProducts` returns cards without them): to filter plans by data allowance. */
export const PlanSearchDocument = `query PlanSearch($first: Int!, $after: String, $filter: ProductFilter, $sort: ProductSort) {
  products(first: $first, after: $after, filter: $filter, sort: $sort) {
    nodes { id slug name price { amount { amount currencyCode } interval } attributes { key value unit } }
    pageInfo { hasNextPage endCursor }
  }
}` as TypedDocumentString<PlanSearchResult, { first: number; after?: string | null; filter?: ProductFilter; sort?: ProductSort }>;

/** The catalog's names, to match what a shopper typed (no facets, unlike `getProducts`). */
export const CatalogNamesDocument = `query CatalogNames($first: Int!, $after: String) {
  products(first: $first, after: $after, sort: NAME) {
    nodes { id slug name kind }
    pageInfo { hasNextPage endCursor }
  }
}` as TypedDocumentString<CatalogNamesResult, { first: number; after?: string | null }>;

/** A caller identified by registered mobile or email (the chatbot key's `customer:lookup`). */
export const CustomerLookupDocument = `query CustomerLookup($mobile: String, $email: String) {
  customerByIdentity(mobile: $mobile, email: $email) { id name }
}` as TypedDocumentString<{ customerByIdentity: { id: string; name: string } | null }, { mobile?: string | null; email?: string | null }>;

/** The signed-in customer's most recently changed open cart (to pick up a cart made on another device). */
export const MyCartsDocument = `query MyCarts {
  me { id name carts(first: 1) { nodes { id version updatedAt } } }
}` as TypedDocumentString<
  { me: { id: string; name: string; carts: { nodes: Array<{ id: string; version: number; updatedAt: string }> } } | null },
  Record<string, never>
>;
