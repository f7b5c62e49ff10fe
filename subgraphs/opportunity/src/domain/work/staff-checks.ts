import { checkStaff, type Peers, staffEligibilityMessage, userError } from '@dcrm/kit';
import type { UserError } from '../opportunity.errors.js';

/** A staff id given in an input (an owner, an assignee) and where it was given. */
export type StaffField = { staffId: string | null | undefined; field: string[] };

/**
 * Owners and assignees must be ACTIVE staff granted the opportunity's brand and, when their grant is
 * segment-scoped, its segment (kit `staff-grants.ts`, one directory call for all of them). A refusal is
 * a userError on the field: UNKNOWN_STAFF, STAFF_INACTIVE or STAFF_NOT_IN_SEGMENT. Call before the
 * transaction (a directory call); ids already refused as malformed are the caller's.
 */
export async function staffErrors(peers: Peers, storefrontId: string, segment: string | null, given: StaffField[]): Promise<UserError[]> {
  const wanted = given.filter((g): g is { staffId: string; field: string[] } => !!g.staffId);
  if (!wanted.length) return [];
  const caller = { customer: peers('customer'), source: 'opportunity', storefrontId };
  const verdicts = await checkStaff(
    caller,
    wanted.map((g) => g.staffId),
    segment,
  );
  return wanted.flatMap((g) => {
    const verdict = verdicts.get(g.staffId) ?? 'UNKNOWN_STAFF';
    return verdict === 'OK' ? [] : [userError(verdict, staffEligibilityMessage(verdict), g.field)];
  });
}
