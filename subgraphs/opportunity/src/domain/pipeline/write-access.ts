import { type AccountRowFilter, actingStorefront, hasScope, type Principal, segmentsOf, userError } from '@dcrm/kit';
import { SCOPES, salesScope } from '../access.js';
import type { UserError } from '../opportunity.errors.js';

/** Scope of pipeline configuration (stages' reasons, custom fields) and of the managers' analysis. */
export const MANAGE_SCOPE = 'opportunity:manage';

/**
 * Who may write leads and opportunities, and which rows: staff with `opportunity:write` in their
 * segments of the acting brand, a partner its own rows. Everyone else gets a FORBIDDEN userError.
 */
export type Writer = { storefrontId: string; scope: AccountRowFilter; principal: Principal };

export function writerOf(principal: Principal): Writer | UserError {
  const storefrontId = actingStorefront(principal);
  const staffWithout = principal.kind === 'staff' && !hasScope(principal, SCOPES.write);
  const scope = staffWithout || (principal.kind !== 'staff' && principal.kind !== 'partner') ? null : salesScope(principal, SCOPES.write);
  if (!storefrontId || !scope) return userError('FORBIDDEN', `Needs ${SCOPES.write} in this storefront`);
  return { storefrontId, scope, principal };
}

export const isWriter = (w: Writer | UserError): w is Writer => 'scope' in w;

/** Whether a writer may own rows of this segment (staff: theirs or `*`; partners: any of their accounts'). */
export function maySegment(principal: Principal, segment: string): boolean {
  if (principal.kind !== 'staff') return true;
  const mine = segmentsOf(principal);
  return mine.includes('*') || mine.includes(segment);
}

/** `staff:<id>`, `partner:<partner id>`, `service:<name>`: who a history row names. */
export const actorOf = (principal: Principal): { actorKind: string; actorId: string | null } => ({
  actorKind: principal.kind,
  actorId: principal.kind === 'partner' ? principal.partnerId : principal.id,
});
