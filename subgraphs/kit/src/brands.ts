import type { Principal } from './principal.js';

/**
 * Brand scope: which storefronts (white-label brands) a principal may act on, for reads and writes.
 * A customer, an anonymous shopper and a partner act on their own storefront only; staff on the
 * storefronts they are granted (`*` is the explicit "all brands" grant); a service principal on the
 * storefront it was called for, or every brand when it names none (jobs, provisioning).
 */
export const ALL_BRANDS = '*';

export function brandsOf(principal: Principal): readonly string[] {
  if (principal.storefronts?.length) return principal.storefronts;
  if (principal.storefrontId) return [principal.storefrontId];
  return principal.kind === 'service' ? [ALL_BRANDS] : [];
}

/** True when the principal may read or write rows of `storefrontId`. */
export function mayActOn(principal: Principal, storefrontId: string | null | undefined): boolean {
  if (!storefrontId) return false;
  const brands = brandsOf(principal);
  return brands.includes(ALL_BRANDS) || brands.includes(storefrontId);
}

/** True when every storefront in `storefrontIds` is within the principal's brands (an empty list: true). */
export const mayActOnAll = (principal: Principal, storefrontIds: Iterable<string>): boolean =>
  [...storefrontIds].every((id) => mayActOn(principal, id));

/** A MikroORM condition on a `storefrontId`-like column: `undefined` for all brands, `{ $in: [] }` for none. */
export function brandCondition(principal: Principal): { $in: string[] } | undefined {
  const brands = brandsOf(principal);
  return brands.includes(ALL_BRANDS) ? undefined : { $in: [...brands] };
}

/** True for the explicit all-brands grant (and service calls naming no storefront). */
export const mayActOnEveryBrand = (principal: Principal): boolean => brandsOf(principal).includes(ALL_BRANDS);

/**
 * A filter fragment restricting a brand-owned entity to the principal's brands, to spread into a
 * write's lookup: `em.findOne(PriceList, { id, ...brandWhere(principal, 'storefront') })`. A row of
 * another brand is then simply not found, exactly like an unknown id.
 */
export function brandWhere<P extends string>(principal: Principal, property: P): { [K in P]?: { $in: string[] } } {
  const condition = brandCondition(principal);
  return (condition ? { [property]: condition } : {}) as { [K in P]?: { $in: string[] } };
}

/**
 * The storefront a request reads and writes: the principal's own, when its brands include it; null
 * otherwise (nothing to read, nothing to write). Brand-owned rows are looked up by id *within* it.
 */
export function actingStorefront(principal: Principal): string | null {
  return principal.storefrontId && mayActOn(principal, principal.storefrontId) ? principal.storefrontId : null;
}

/**
 * A loaded brand-owned row when the principal may act on its storefront, otherwise null: callers
 * answer NOT_FOUND, so an other-brand row reads exactly like one that does not exist.
 */
export function ownedRow<T extends { storefrontId: string }>(principal: Principal, row: T | null | undefined): T | null {
  return row && mayActOn(principal, row.storefrontId) ? row : null;
}

/** The ids (of `ids`, in order, de-duplicated) a brand-scoped lookup answered null for: unknown or another brand's. */
export function unseenIds<T>(ids: readonly string[], answers: readonly (T | null | undefined)[]): string[] {
  return [...new Set(ids.filter((_, i) => answers[i] == null))];
}
