import { actingStorefront, fail, hasScope, isUuid, ok, type Principal } from '@dcrm/kit';
import { type FilterQuery, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, Opportunity } from '../../entities/index.js';
import { SCOPES, salesScope } from '../access.js';
import type { Result } from '../opportunity.errors.js';

/**
 * Who reaches an opportunity: those its segment scope admits (staff with `opportunity:read`/`:write`
 * in their segments, its partner), and, within the acting brand, its owner and the staff it is shared
 * with — directly or as members of a team it was shared with — even outside their segments. Reading
 * needs `opportunity:read` and any share; writing (update, transition, tasks, notes, sharing,
 * assignment) needs `opportunity:write` and a write share (or ownership). Another brand's staff never:
 * the row's brand must be the one they act on (kit's brand guard refuses the rest on flush anyway).
 */
export type WorkMode = 'read' | 'write';

const SHARE = `select 1 from "opportunity"."opportunity_share" s where s.opportunity_id = %ALIAS%.id and s.staff_id = ?`;

/** Staff reach beyond the segment scope, as a filter: owned, or shared (with write, for `write`); null: none. */
export function reachFilter(principal: Principal, mode: WorkMode): FilterQuery<IOpportunity> | null {
  const storefrontId = actingStorefront(principal);
  const me = principal.id;
  if (principal.kind !== 'staff' || !me || !isUuid(me) || !storefrontId) return null;
  if (!hasScope(principal, mode === 'read' ? SCOPES.read : SCOPES.write)) return null;
  const shared = raw((alias: string) => `exists (${SHARE.replace('%ALIAS%', alias)}${mode === 'write' ? ' and s.can_write' : ''})`, [me]);
  return { storefrontId, $or: [{ ownerStaffId: me }, { [shared]: [] }] } as FilterQuery<IOpportunity>;
}

/** Every opportunity the principal reaches for `mode`, as one filter (segment scope or reach); null: none. */
export function opportunityFilter(principal: Principal, mode: WorkMode = 'read'): FilterQuery<IOpportunity> | null {
  const scope = salesScope(principal, mode === 'read' ? SCOPES.read : SCOPES.write) as FilterQuery<IOpportunity> | null;
  const reach = reachFilter(principal, mode);
  return scope && reach ? { $or: [scope, reach] } : (scope ?? reach);
}

type FindOptions = { refresh?: boolean };

/** The opportunity if the principal reaches it for `mode`, else null. */
export async function workOpportunity(
  em: EntityManager,
  principal: Principal,
  id: string,
  mode: WorkMode,
  options: FindOptions = {},
): Promise<IOpportunity | null> {
  const filter = isUuid(id) ? opportunityFilter(principal, mode) : null;
  return filter ? em.findOne(Opportunity, { $and: [filter, { id }] }, options) : null;
}

/**
 * The opportunity for a write: NOT_FOUND when the caller cannot read it (nothing said about its
 * existence), FORBIDDEN when they read it only (a read share, or staff without `opportunity:write`).
 */
export async function writableOpportunity(
  em: EntityManager,
  principal: Principal,
  id: string,
  field: string[],
  options: FindOptions = {},
): Promise<Result<IOpportunity>> {
  const writable = await workOpportunity(em, principal, id, 'write', options);
  if (writable) return ok(writable);
  if (await workOpportunity(em, principal, id, 'read')) return fail('FORBIDDEN', 'You may read this opportunity but not change it', field);
  return fail('NOT_FOUND', 'No such opportunity', field);
}
