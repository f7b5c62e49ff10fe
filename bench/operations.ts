import { seedId } from '@dcrm/kit';

/**
 * What the bench drives: operations a storefront really sends, always with variables (the router caches
 * query plans per operation text). A new subgraph's operation (cart, customer) is one more entry here.
 */
export type GraphQLBody = { data?: Record<string, unknown> | null; errors?: { message: string }[] };

export type Operation = {
  name: string;
  title: string;
  query: string;
  variables: Record<string, unknown>;
  /** The one subgraph serving it, for the direct-to-subgraph baseline; unset when the router federates several. */
  subgraph?: string;
  /** Whether bench/raw-baseline.ts answers it (at `/<name>`) with one hand-written SQL statement. */
  raw: boolean;
  /** Why a response without GraphQL errors is still not a valid answer (empty result, …); null when fine. */
  problem(data: Record<string, unknown>): string | null;
  /** Who sends it: the storefront key (default) or a signed-in staff member (`STAFF_LOGIN`, bearer token). */
  auth?: 'storefront' | 'staff';
};

/** The demo storefront key of Volt Mobile, seeded by the catalog. */
export const STOREFRONT_KEY = 'dcrm_pk_volt_demo_3f9c1a7e5b2d4c8a';

/** The back-office operations' demo staff member: Volt's manager (every segment, sales and care groups). */
export const STAFF_LOGIN = { email: 'manager@volt.example', password: 'dcrm-demo-2026' };

const PRICE = 'price { amount { amount currencyCode } interval }';

type Nodes = { nodes?: unknown[]; totalCount?: number };
const products = (data: Record<string, unknown>) => (data.products ?? {}) as Nodes;

/** Volt's unlimited SIM-only plan (demo data ids are deterministic). */
const PLAN_ID = seedId('product', 'volt-sim-unlimited');

export const OPERATIONS: Operation[] = [
  {
    name: 'listing',
    title: 'storefront listing',
    query: `query Listing($first: Int!) {
  products(first: $first) { nodes { name slug ${PRICE} category { name } } }
}`,
    variables: { first: 24 },
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
    subgraph: 'catalog',
    raw: true,
    problem: (data) => (products(data).totalCount ? null : 'the search matched nothing'),
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
    subgraph: 'cart',
    raw: false,
    problem: (data) => {
      const payload = data.cartCreate as { cart?: { lines?: unknown[] } | null; userErrors?: unknown[] } | undefined;
      return payload?.cart?.lines?.length === 1 && !payload.userErrors?.length ? null : 'the cart was not created';
    },
  },
  {
    name: 'pipeline',
    title: 'sales pipeline list (staff)',
    // The back office's pipeline board: a page of opportunities with their account and lead (federated).
    query: `query Pipeline($first: Int!) {
  opportunities(first: $first) {
    nodes { id name type category stage status segment ownerStaffId updatedAt customer { id name } lead { id status rating score } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: { first: 50 },
    raw: false,
    auth: 'staff',
    problem: (data) => ((data.opportunities as Nodes | undefined)?.nodes?.length ? null : 'no opportunities listed'),
  },
  {
    name: 'queue',
    title: 'agent ticket queue (staff)',
    // An agent's queue: the most urgent tickets first, with the account each is for (federated).
    query: `query Queue($first: Int!) {
  tickets(first: $first, sort: PRIORITY) {
    nodes { id subject category priority severity status channel customer { id name } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: { first: 50 },
    raw: false,
    auth: 'staff',
    problem: (data) => ((data.tickets as Nodes | undefined)?.nodes?.length ? null : 'no tickets in the queue'),
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
