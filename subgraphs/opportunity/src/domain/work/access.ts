import { actingStorefront, hasScope, isUuid, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, Opportunity, OpportunityShare } from '../../entities/index.js';
import { SCOPES, salesScope } from '../access.js';

/**
 * Who may work on an opportunity (tasks, notes, sharing, assignment): those its segment scope admits
 * (staff with `opportunity:read`/`:write` in their segments, its partner), and, within the acting brand,
 * its owner and the staff it is shared with (reading; writing when the share grants it) — even outside
 * their segments. Staff still need `opportunity:read`. Another brand's staff never: the row's brand
 * must be the one they act on.
 */
export type WorkMode = 'read' | 'write';

export async function workOpportunity(em: EntityManager, principal: Principal, id: string, mode: WorkMode): Promise<IOpportunity | null> {
  if (!isUuid(id)) return null;
  const scope = salesScope(principal, mode === 'read' ? SCOPES.read : SCOPES.write);
  const inScope = scope ? await em.findOne(Opportunity, { $and: [scope, { id }] }) : null;
  if (inScope) return inScope;
  const [found] = await sharedOpportunities(em, principal, [id], mode);
  return found ?? null;
}

/** Of these ids, the opportunities the staff member owns or that are shared with them (for `mode`), in the acting brand. */
export async function sharedOpportunities(
  em: EntityManager,
  principal: Principal,
  ids: readonly string[],
  mode: WorkMode = 'read',
): Promise<IOpportunity[]> {
  const storefrontId = actingStorefront(principal);
  if (principal.kind !== 'staff' || !isUuid(principal.id) || !storefrontId || !hasScope(principal, SCOPES.read) || ids.length === 0)
    return [];
  const shares = await em.find(OpportunityShare, {
    storefrontId,
    staffId: principal.id,
    opportunityId: { $in: [...ids] },
    ...(mode === 'write' ? { canWrite: true } : {}),
  });
  const shared = shares.map((s) => s.opportunityId);
  return em.find(Opportunity, {
    storefrontId,
    id: { $in: [...ids] },
    $or: [{ ownerStaffId: principal.id }, ...(shared.length ? [{ id: { $in: shared } }] : [])],
  });
}
