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
