import { SERVICE_SCOPES, servicePrincipal } from './principal.js';
import type { DirectoryCaller } from './staff-directory.js';
import { entitiesOf } from './targets.js';

/**
 * Whether staff members may be given work of a brand and segment (an owner, a task's assignee): asked
 * of the customer subgraph's staff directory (`Staff` by reference, as the calling module's service for
 * the brand, scope `staff:directory`), decided here. A member qualifies when ACTIVE, granted the brand
 * (their home brand, an explicit grant, or all brands) and — when the work has a segment and their grant
 * is segment-scoped — that segment (`*` = every segment). Never call inside a transaction.
 */
export type StaffGrant = {
  id: string;
  active: boolean;
  homeStorefrontId: string;
  storefrontIds: string[];
  allBrands: boolean;
  segments: string[];
};

/**
 * OK, or why not: UNKNOWN_STAFF (no such member, or not of this brand: another brand's staff are not
 * told apart from unknown ids), STAFF_INACTIVE (deactivated), STAFF_NOT_IN_SEGMENT (their grant does
 * not cover the work's segment).
 */
export type StaffEligibility = 'OK' | 'UNKNOWN_STAFF' | 'STAFF_INACTIVE' | 'STAFF_NOT_IN_SEGMENT';

/** The rule, pure: see the header. */
export function staffEligibility(grant: StaffGrant | null, storefrontId: string, segment?: string | null): StaffEligibility {
  if (!grant) return 'UNKNOWN_STAFF';
  const inBrand = grant.allBrands || grant.homeStorefrontId === storefrontId || grant.storefrontIds.includes(storefrontId);
  if (!inBrand) return 'UNKNOWN_STAFF';
  if (!grant.active) return 'STAFF_INACTIVE';
  if (segment && !grant.segments.includes('*') && !grant.segments.includes(segment)) return 'STAFF_NOT_IN_SEGMENT';
  return 'OK';
}

const MESSAGES: Record<Exclude<StaffEligibility, 'OK'>, string> = {
  UNKNOWN_STAFF: 'No staff member of this brand has this id',
  STAFF_INACTIVE: 'This staff member is deactivated',
  STAFF_NOT_IN_SEGMENT: "This staff member's grant does not cover the segment",
};

/** A user-facing sentence for a refusal (the code says which). */
export const staffEligibilityMessage = (e: Exclude<StaffEligibility, 'OK'>): string => MESSAGES[e];

const GRANT = 'id active homeStorefrontId storefrontIds allBrands segments';

/** The directory's grants of these staff ids (null where none is known), in the ids' order. */
export async function staffGrants(caller: DirectoryCaller, staffIds: readonly string[]): Promise<(StaffGrant | null)[]> {
  const principal = servicePrincipal(caller.source, caller.storefrontId, [SERVICE_SCOPES.staffDirectory]);
  return entitiesOf<StaffGrant>(caller.customer, principal, 'Staff', GRANT, staffIds);
}

/** Each staff id's eligibility for work of the caller's brand and `segment` (one directory call for all). */
export async function checkStaff(
  caller: DirectoryCaller,
  staffIds: readonly string[],
  segment?: string | null,
): Promise<Map<string, StaffEligibility>> {
  const unique = [...new Set(staffIds)];
  const grants = await staffGrants(caller, unique);
  return new Map(unique.map((id, i) => [id, staffEligibility(grants[i], caller.storefrontId, segment)]));
}
