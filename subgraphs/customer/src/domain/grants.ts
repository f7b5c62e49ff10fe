import { ALL_BRANDS, brandsOf, hasScope, mayActOn, mayActOnEveryBrand, type Principal, segmentsOf } from '@dcrm/kit';

/**
 * What a staff member holds, and the rules for handing it on. No privilege escalation: an
 * administrator grants only brands, scopes and segments they hold themselves, and manages only staff
 * whose grants are all within their own (so nobody edits, locks out or takes over someone above them).
 */
export type Grants = { brands: string[]; scopes: string[]; segments: string[] };

/** The grants a principal carries (its token: what it held when the token was issued). */
export const grantsOf = (principal: Principal): Grants => ({
  brands: [...brandsOf(principal)],
  scopes: principal.scopes,
  segments: segmentsOf(principal),
});

/** The brands (ids, or `*`) the principal may not grant. */
export const ungrantableBrands = (admin: Principal, brands: readonly string[]): string[] =>
  brands.filter((b) => (b === ALL_BRANDS ? !mayActOnEveryBrand(admin) : !mayActOn(admin, b)));

export const ungrantableScopes = (admin: Principal, scopes: readonly string[]): string[] => scopes.filter((s) => !hasScope(admin, s));

export function ungrantableSegments(admin: Principal, segments: readonly string[]): string[] {
  const own = segmentsOf(admin);
  return own.includes('*') ? [] : segments.filter((s) => !own.includes(s));
}

/** True when everything `target` holds is within what `admin` holds. */
export const outranks = (admin: Principal, target: Grants): boolean =>
  ungrantableBrands(admin, target.brands).length === 0 &&
  ungrantableScopes(admin, target.scopes).length === 0 &&
  ungrantableSegments(admin, target.segments).length === 0;

/** Two sets of brand grants share a brand (`*` shares every brand). */
export const brandsOverlap = (a: readonly string[], b: readonly string[]): boolean =>
  a.includes(ALL_BRANDS) || b.includes(ALL_BRANDS) || a.some((x) => b.includes(x));

/** A staff member's grants from the database: brand grants, the union of their groups' scopes, segments. */
export function staffGrants(staff: {
  storefrontId: string;
  storefronts: string[];
  segments: string[];
  accessGroups: { getItems(): { scopes: string[] }[] };
}): Grants {
  return {
    brands: [...new Set([staff.storefrontId, ...staff.storefronts])],
    scopes: [...new Set(staff.accessGroups.getItems().flatMap((g) => g.scopes))].sort(),
    segments: staff.segments,
  };
}
