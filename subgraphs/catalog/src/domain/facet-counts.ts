import type { Visibility } from './visibility.js';

/**
 * The pre-aggregated product counts (table `facet_count`, kept exact by triggers on products and assortments:
 * migration 20261202-801): per storefront, status, kind, category and price band. What a principal may see
 * is a handful of its rows, whatever the catalogue's size; alias `f`, the number of products is `f.count`.
 */
export function facetCountScope(v: Visibility, params: unknown[]): string {
  // Brand-less staff see every product: the rows without a storefront (and without a band: no list price).
  const storefront = v.assortmentOnly ? 'f.storefront_id = ?' : 'f.storefront_id is null';
  if (v.assortmentOnly) params.push(v.storefrontId);
  params.push(v.statuses);
  return `from "catalog"."facet_count" f where ${storefront} and f.status in (?)`;
}
