import { forbidden, type Principal, unauthenticated } from '@dcrm/kit';
import type { ProductStatus } from '../entities/index.js';

/**
 * What products a principal may see. Shoppers, customers and partners: ACTIVE products of their
 * storefront's assortment. Staff: every status, within their storefront's assortment when the
 * session is scoped to one. Services (another subgraph asking): every status, scoped like the caller.
 */
export type Visibility = { storefrontId: string | null; assortmentOnly: boolean; statuses: ProductStatus[] };

const ALL: ProductStatus[] = ['DRAFT', 'ACTIVE', 'ARCHIVED'];

export function visibilityOf(principal: Principal, requestedStatuses?: ProductStatus[] | null): Visibility {
  if (principal.kind === 'staff' || principal.kind === 'service') {
    return {
      storefrontId: principal.storefrontId,
      assortmentOnly: principal.storefrontId !== null,
      statuses: requestedStatuses?.length ? requestedStatuses : ALL,
    };
  }
  if (!principal.storefrontId) throw noStorefront(principal);
  return { storefrontId: principal.storefrontId, assortmentOnly: true, statuses: ['ACTIVE'] };
}

/** The storefront a request is scoped to; brand-less staff sessions get FORBIDDEN where one is needed. */
export function requireStorefront(principal: Principal): string {
  if (!principal.storefrontId) throw noStorefront(principal);
  return principal.storefrontId;
}

/** Without credentials the fix is to send a key; with them, the session simply has no brand. */
function noStorefront(principal: Principal) {
  return principal.kind === 'anonymous'
    ? unauthenticated('Send a storefront API key (x-api-key) or a token')
    : forbidden('No storefront in scope');
}

/** SQL joining products (alias `p`) to the storefront's assortment (alias `sp`), when visibility is limited to it. */
export function assortmentJoin(v: Visibility, params: unknown[]): string {
  if (!v.assortmentOnly) return '';
  params.push(v.storefrontId);
  return ' join "catalog"."storefront_product" sp on sp.product_id = p.id and sp.storefront_id = ?';
}

/** SQL condition on products (alias `p`) keeping the statuses the principal may see. */
export function statusFilter(v: Visibility, params: unknown[]): string {
  params.push(v.statuses);
  return 'p.status in (?)';
}
