import { type Checks, isUuid, mayActOn, type Peers, type Principal, unseenIds } from '@dcrm/kit';
import { visibleProducts } from '../clients/catalog.js';
import type { ErrorCode } from './promotion.errors.js';

/** An id an input names, and where in the input it was given. */
export type Reference = { id: string; field: string[] };

/**
 * Products an input names must be ones the caller may see: the catalog is asked as the caller and
 * answers null outside the assortment of the caller's storefront, so another brand's product reads
 * exactly like an unknown one (NOT_FOUND at each place it was named).
 */
export async function checkProducts(peers: Peers, principal: Principal, checks: Checks<ErrorCode>, refs: Reference[]): Promise<void> {
  const ids = [...new Set(refs.map((r) => r.id).filter(isUuid))];
  if (ids.length === 0) return;
  const found = await visibleProducts(peers, principal, ids);
  const unseen = new Set(unseenIds(ids, found));
  for (const r of refs) if (unseen.has(r.id)) checks.add('NOT_FOUND', 'No such product', r.field);
}

/** Storefronts an input names must be within the caller's brands (the same NOT_FOUND as an unknown one). */
export function checkStorefronts(principal: Principal, checks: Checks<ErrorCode>, refs: Reference[]): void {
  for (const r of refs) if (isUuid(r.id) && !mayActOn(principal, r.id)) checks.add('NOT_FOUND', 'No such storefront', r.field);
}
