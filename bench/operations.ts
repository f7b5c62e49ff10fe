import { seedId } from '@dcrm/kit';

/**
 * What the bench drives: operations a storefront (storefront key) or the back office (a staff member's
 * bearer token) really sends, always with variables (the router caches query plans per operation text).
 * A new subgraph's operation (cart, customer) is one more entry here.
 */
export type GraphQLBody = { data?: Record<string, unknown> | null; errors?: { message: string }[] };

export type Operation = {
  name: string;
  title: string;
  query: string;
  variables: Record<string, unknown>;
  /** Who sends it: the demo storefront key, or the demo Volt manager signed in (bench/staff.ts). */
  auth: 'storefront' | 'staff';
  /**
   * Concurrent clients for this operation, when not `--connections`: the back-office lists are driven
   * by a handful of agents at once, not a storefront's crowd (at 16 on two cores the pages queue on the
   * subgraphs' database pools until they time out).
   */
  connections?: number;
  /** The one subgraph serving it, for the direct-to-subgraph baseline; unset when the router federates several. */
  subgraph?: string;
  /**
   * When the router federates a few fields of another subgraph (names of related entities): the same
   * operation with those fields left as the entity's id, sent to `subgraph` for the direct baseline. Its
   * answer is therefore not compared with the router's.
   */
  directQuery?: string;
  /** Whether bench/raw-baseline.ts answers it (at `/<name>`) with one hand-written SQL statement. */
  raw: boolean;
  /** Why a response without GraphQL errors is still not a valid answer (empty result, …); null when fine. */
  problem(data: Record<string, unknown>): string | null;
};

/** The demo storefront key of Volt Mobile, seeded by the catalog. */
export const STOREFRONT_KEY = 'dcrm_pk_volt_demo_3f9c1a7e5b2d4c8a';

const PRICE = 'price { amount { amount currencyCode } interval }';

type Nodes = { nodes?: unknown[]; totalCount?: number };
const products = (data: Record<string, unknown>) => (data.products ?? {}) as Nodes;

/** Volt's unlimited SIM-only plan (demo data ids are deterministic). */
const PLAN_ID = seedId('product', 'volt-sim-unlimited');

function pipeline(customer: string): string {
  return `query Pipeline($first: Int!) {
  opportunities(first: $first) {
    nodes {
      id name type stage status segment closeDate stageEnteredAt
      estimatedValue { oneOff monthly firstYear currency }
      lines { productId name kind quantity unitOneOff unitMonthly currencyCode }
      ${customer}
    }
    pageInfo { hasNextPage endCursor }
  }
}`;
}

function queue(customer: string, assignee: string): string {
  return `query Queue($first: Int!) {
  tickets(first: $first, sort: PRIORITY) {
    nodes {
      id subject status priority severity category channel createdAt firstRespondedAt
      ${customer}
      ${assignee}
      comments(last: 5) { nodes { id internal createdAt author { kind } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;
}

export const OPERATIONS: Operation[] = [
  {
    name: 'listing',
    title: 'storefront listing',
    query: `query Listing($first: Int!) {
  products(first: $first) { nodes { name slug ${PRICE} category { name } } }
}`,
    variables: { first: 24 },
    auth: 'storefront',
    subgraph: 'catalog',
    raw: true,
    problem: (data) => (products(data).nodes?.length ? null : 'no products listed'),
  },
  {
    name: 'search',
    title: 'search + facets',
    query: `query Search($first: Int!, $query: String!) {
  products(first: $first, query: $query) {
    totalCount
    nodes { name slug ${PRICE} }
    facets { kinds { kind count } categories { category { name } count } priceBands { band count } }
  }
}`,
    variables: { first: 24, query: 'unlimited 5g' },
    auth: 'storefront',
    subgraph: 'catalog',
    raw: true,
    problem: (data) => (products(data).totalCount ? null : 'the search matched nothing'),
  },
  {
    name: 'facets',
    title: 'listing + facets',
    // A category page's first request: the page, the total and every facet's counts, no text query. What
    // `--scale 1000,10000,100000` watches: it must not slow down as the catalogue grows (issue 20).
    query: `query Facets($first: Int!) {
  products(first: $first) {
    totalCount
    nodes { name slug ${PRICE} }
    facets { kinds { kind count } categories { category { name } count } priceBands { band count } }
  }
}`,
    variables: { first: 24 },
    auth: 'storefront',
    subgraph: 'catalog',
    raw: false,
    problem: (data) => (products(data).totalCount ? null : 'nothing listed'),
  },
  {
    name: 'detail',
    title: 'product detail',
    query: `query Detail($slug: String!) {
  product(slug: $slug) {
    name slug kind description
    attributes { key label value unit }
    prices { type amount { amount currencyCode } interval }
    compatibleAddons { name slug ${PRICE} }
  }
}`,
    // The demo plan with the most add-ons.
    variables: { slug: 'volt-sim-unlimited' },
    auth: 'storefront',
    subgraph: 'catalog',
    raw: true,
    problem: (data) => {
      const product = data.product as { compatibleAddons?: unknown[] } | null;
      return product?.compatibleAddons?.length ? null : 'the product has no add-ons';
    },
  },
  {
    name: 'cart',
    title: 'cart add + read',
    // One write per request: a new anonymous cart with a line, read back with totals priced by the catalog
    // (no id in the selection: each answer would differ and the shapes are compared).
    query: `mutation CartAdd($productId: ID!) {
  cartCreate(input: { lines: [{ productId: $productId, quantity: 1 }] }) {
    cart { lines { name quantity recurringPrice { amount } } totals { monthly { amount currencyCode } dueNow { amount } } }
    userErrors { code }
  }
}`,
    variables: { productId: PLAN_ID },
    auth: 'storefront',
    subgraph: 'cart',
    raw: false,
    problem: (data) => {
      const payload = data.cartCreate as { cart?: { lines?: unknown[] } | null; userErrors?: unknown[] } | undefined;
      return payload?.cart?.lines?.length === 1 && !payload.userErrors?.length ? null : 'the cart was not created';
    },
  },
  {
    name: 'pipeline',
    connections: 4,
    title: 'staff: pipeline list',
    // The sales pipeline board: a page of opportunities with their stage, value, lines and account.
    query: pipeline('customer { id name }'),
    variables: { first: 50 },
    auth: 'staff',
    subgraph: 'opportunity',
    directQuery: pipeline('customer { id }'),
    raw: false,
    problem: (data) => ((data.opportunities as Nodes | undefined)?.nodes?.length ? null : 'no opportunities listed'),
  },
  {
    name: 'queue',
    connections: 4,
    title: "staff: agent's ticket queue",
    // The agent's queue: most urgent first, with the account, the assignee and the latest of the conversation.
    query: queue('customer { id name }', 'assignee { id name }'),
    variables: { first: 50 },
    auth: 'staff',
    subgraph: 'ticket',
    directQuery: queue('customer { id }', 'assignee { id }'),
    raw: false,
    problem: (data) => ((data.tickets as Nodes | undefined)?.nodes?.length ? null : 'no tickets listed'),
  },
];

const UNORDERED = new Set(['kinds', 'categories', 'priceBands']);

/** JSON with sorted keys, and facet lists sorted too (their order among equal counts is unspecified). */
export function canonical(value: unknown, key = ''): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v));
    return `[${(UNORDERED.has(key) ? items.sort() : items).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v, k)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
