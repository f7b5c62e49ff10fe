/**
 * The five storefront operations of the peer bench, written out for both APIs: what a shop's listing,
 * product page, search and category pages send to dcrm (storefront key) and to Vendure's Shop API.
 */
import { seedId } from '@dcrm/kit';

type Data = Record<string, unknown>;

/** One API's request and why an answer without GraphQL errors is still wrong (null when fine). */
export type Side = { query: string; variables: Data; problem(data: Data): string | null; summary(data: Data): string };

export type PeerOperation = { name: string; title: string; dcrm: Side; vendure(ids: VendureIds): Side };

/** Ids only known once Vendure has imported the catalogue (its ids are its own). */
export type VendureIds = { productId: string };

/** The demo plan with the most add-ons: the product page and by-id operations read it on both sides. */
export const DETAIL_SLUG = 'volt-sim-unlimited';
const PLAN_ID = seedId('product', DETAIL_SLUG);
const SEARCH = 'unlimited 5g';
const PAGE = 20;

const PRICE = 'price { amount { amount currencyCode } interval }';
const FACETS = 'facets { kinds { kind count } categories { category { name } count } priceBands { band count } }';
const V_PRICE = 'priceWithTax { ... on SinglePrice { value } ... on PriceRange { min max } } currencyCode';
const V_ITEM = `productId productName slug productAsset { preview } ${V_PRICE}`;
const V_FACETS = 'facetValues { count facetValue { code name facet { code } } }';

type List = { nodes?: unknown[]; items?: unknown[]; totalCount?: number; totalItems?: number; facetValues?: unknown[] };
const field = (data: Data, name: string) => (data[name] ?? {}) as List;
const exactly = (items: unknown[] | undefined, n: number, what: string) =>
  items?.length === n ? null : `${items?.length ?? 0} ${what} instead of ${n}`;

export const PEER_OPERATIONS: PeerOperation[] = [
  {
    name: 'listing',
    title: 'listing, 20 products',
    dcrm: {
      query: `query Listing($first: Int!) { products(first: $first) { nodes { name slug ${PRICE} images { url } } } }`,
      variables: { first: PAGE },
      problem: (data) => exactly(field(data, 'products').nodes, PAGE, 'products'),
      summary: () => `${PAGE} products`,
    },
    vendure: () => ({
      query: `query Listing($take: Int!) {
  products(options: { take: $take }) { items { name slug featuredAsset { preview } variants { priceWithTax currencyCode } } }
}`,
      variables: { take: PAGE },
      problem: (data) => exactly(field(data, 'products').items, PAGE, 'products'),
      summary: () => `${PAGE} products`,
    }),
  },
  {
    name: 'detail',
    title: 'product detail',
    dcrm: {
      query: `query Detail($slug: String!) {
  product(slug: $slug) {
    name slug kind description images { url altText }
    attributes { key label value unit }
    prices { type amount { amount currencyCode } interval }
    compatibleAddons { name slug ${PRICE} }
  }
}`,
      variables: { slug: DETAIL_SLUG },
      problem: (data) => ((data.product as { compatibleAddons?: unknown[] } | null)?.compatibleAddons?.length ? null : 'no add-ons'),
      summary: (data) => `${(data.product as { compatibleAddons: unknown[] }).compatibleAddons.length} add-ons`,
    },
    vendure: () => ({
      query: `query Detail($slug: String!) {
  product(slug: $slug) {
    name slug description featuredAsset { preview } assets { preview }
    variants { name sku priceWithTax currencyCode options { code name group { code } } }
    facetValues { code name facet { code } }
    collections { name slug }
  }
}`,
      variables: { slug: DETAIL_SLUG },
      problem: (data) => ((data.product as { variants?: unknown[] } | null)?.variants?.length ? null : 'no product or no variants'),
      summary: (data) => `${(data.product as { facetValues: unknown[] }).facetValues.length} facet values`,
    }),
  },
  {
    name: 'search',
    title: 'search with a text and facets',
    dcrm: {
      query: `query Search($first: Int!, $query: String!) {
  products(first: $first, query: $query) { totalCount nodes { name slug ${PRICE} images { url } } ${FACETS} }
}`,
      variables: { first: PAGE, query: SEARCH },
      problem: (data) => (field(data, 'products').totalCount ? null : 'nothing matched'),
      summary: (data) => `${field(data, 'products').totalCount} matches`,
    },
    vendure: () => ({
      query: `query Search($term: String!, $take: Int!) {
  search(input: { term: $term, groupByProduct: true, take: $take }) { totalItems items { ${V_ITEM} } ${V_FACETS} }
}`,
      variables: { term: SEARCH, take: PAGE },
      problem: (data) => (field(data, 'search').totalItems && field(data, 'search').facetValues?.length ? null : 'nothing matched'),
      summary: (data) => `${field(data, 'search').totalItems} matches`,
    }),
  },
  {
    name: 'facets',
    title: 'listing with facets, no text',
    dcrm: {
      query: `query Facets($first: Int!) { products(first: $first) { totalCount nodes { name slug ${PRICE} images { url } } ${FACETS} } }`,
      variables: { first: PAGE },
      problem: (data) => exactly(field(data, 'products').nodes, PAGE, 'products'),
      summary: (data) => `${field(data, 'products').totalCount} products`,
    },
    vendure: () => ({
      query: `query Facets($take: Int!) { search(input: { groupByProduct: true, take: $take }) { totalItems items { ${V_ITEM} } ${V_FACETS} } }`,
      variables: { take: PAGE },
      problem: (data) =>
        exactly(field(data, 'search').items, PAGE, 'products') ?? (field(data, 'search').facetValues?.length ? null : 'no facets'),
      summary: (data) => `${field(data, 'search').totalItems} products`,
    }),
  },
  {
    name: 'byId',
    title: 'product by id',
    dcrm: {
      query: `query ById($id: ID!) { product(id: $id) { name slug description ${PRICE} images { url } } }`,
      variables: { id: PLAN_ID },
      problem: (data) => (data.product ? null : 'not found'),
      summary: () => DETAIL_SLUG,
    },
    vendure: (ids) => ({
      query: `query ById($id: ID!) { product(id: $id) { name slug description featuredAsset { preview } variants { priceWithTax currencyCode } } }`,
      variables: { id: ids.productId },
      problem: (data) => (data.product ? null : 'not found'),
      summary: () => DETAIL_SLUG,
    }),
  },
];
