import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { createKept, type Kept } from '@dcrm/kit/kept.js';
import { Kind, type SelectionSetNode } from 'graphql';
import { fetchOperation } from './fetch-text.js';

/**
 * Catalog content kept for public live offers' lookups. Every public offer of a storefront names a
 * product its thousand subscribers see by name; each event's lookup (one per pricing context,
 * lookup.ts) asked the catalog for the same product again. A fetch is kept only when it reads
 * content that changes through catalog mutations alone — a product's name, description, images,
 * attributes, category — never a price (price lists, tax and promotions move on their own), and only
 * for a view shared by pricing context, under that view's key: whoever shares the key would have been
 * answered the same. The catalog announces each mutation (`CATALOG_CHANGED`, after it commits and
 * before it answers), and every router empties its copy; what it kept expires after `ttlMs` anyway,
 * in case a notice is lost (pub/sub is at-most-once).
 */
export type LookupCache = Pick<Kept<GatewayGraphQLResponse>, 'stats' | 'clear' | 'disable'> & {
  /** The catalog's answer to this fetch for this view, as kept, or the fetch run (and kept when it may be). */
  fetch(viewKey: string, subgraph: string, request: Request, run: () => Promise<GatewayGraphQLResponse>): Promise<GatewayGraphQLResponse>;
};

type Request = Pick<GatewayGraphQLRequest, 'query' | 'variables'>;

const OWNER = 'catalog';
export const LOOKUP_CACHE_TTL_MS = 60_000;
const MAX_ENTRIES = 5_000;

/**
 * The fields a kept fetch may read, by type, with the type each field with a selection leads to. No
 * `price`, `prices`, category `productCount`, or anything of another subgraph.
 */
const CONTENT: Record<string, Record<string, string | null>> = {
  Product: {
    id: null,
    slug: null,
    name: null,
    kind: null,
    status: null,
    description: null,
    createdAt: null,
    updatedAt: null,
    category: 'Category',
    attributes: 'ProductAttribute',
    images: 'Image',
  },
  Category: { id: null, slug: null, name: null, description: null },
  ProductAttribute: { key: null, label: null, value: null, unit: null },
  Image: { url: null, altText: null },
};

export function createLookupCache(now: () => number = Date.now, ttlMs = LOOKUP_CACHE_TTL_MS): LookupCache {
  // The gateway merges what a fetch answers into its result: each lookup gets its own copy.
  const kept = createKept<GatewayGraphQLResponse>({ ttlMs, maxEntries: MAX_ENTRIES, now, copy: structuredClone });
  const whole = (response: GatewayGraphQLResponse) => !response.errors?.length;
  return {
    fetch(viewKey, subgraph, request, run) {
      if (subgraph !== OWNER || !keepable(request)) return run();
      return kept.load(`${viewKey}\n${request.query}\n${JSON.stringify(request.variables ?? null)}`, run, whole);
    },
    stats: kept.stats,
    clear: kept.clear,
    disable: kept.disable,
  };
}

/** An `_entities` fetch of products reading content fields only. */
export function keepable(request: Request): boolean {
  const representations = request.variables?.representations;
  if (!Array.isArray(representations) || representations.length === 0) return false;
  if (!representations.every((r) => (r as { __typename?: unknown } | null)?.__typename === 'Product')) return false;
  const operation = request.query ? fetchOperation(request.query) : null;
  const [root, ...more] = operation?.operation === 'query' ? operation.selectionSet.selections : [];
  if (!root || more.length > 0 || root.kind !== Kind.FIELD || root.name.value !== '_entities' || root.directives?.length) return false;
  return !!root.selectionSet && reads(root.selectionSet, null);
}

/** Whether a selection reads content only; `type` null: the entities' list, inline fragments on `Product` only. */
function reads(selectionSet: SelectionSetNode, type: string | null): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.directives?.length) return false;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition?.name.value ?? type;
      if (on !== 'Product' || (type !== null && type !== on) || !reads(selection.selectionSet, on)) return false;
      continue;
    }
    if (selection.kind !== Kind.FIELD || type === null || selection.arguments?.length) return false;
    if (selection.name.value === '__typename') continue;
    const fields = CONTENT[type];
    if (!fields || !(selection.name.value in fields)) return false;
    const leads = fields[selection.name.value];
    if ((leads === null) !== !selection.selectionSet) return false;
    if (leads !== null && !reads(selection.selectionSet as SelectionSetNode, leads)) return false;
  }
  return true;
}
