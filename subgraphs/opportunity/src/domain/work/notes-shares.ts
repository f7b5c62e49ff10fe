import { Checks, type Clock, fail, isUuid, newId, ok, type Principal, teamMembers } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, type IOpportunityNote, OpportunityNote, OpportunityShare } from '../../entities/index.js';
import type { ErrorCode, Result } from '../opportunity.errors.js';
import { actorOf } from '../pipeline/write-access.js';
import type { OpportunityServices } from '../services.js';
import { writableOpportunity } from './access.js';
import { touchActivity } from './activity.js';
import { directoryFor } from './directory.js';

const f = (...path: string[]) => ['input', ...path];

export type NoteAddInput = { opportunityId: string; body: string; internal?: boolean | null };

/**
 * A note on an opportunity the caller may write. Staff notes are internal (staff only) unless
 * `internal: false`; a partner's notes are never internal (it could not read them back).
 */
export async function opportunityNoteAdd(
  em: EntityManager,
  clock: Clock,
  principal: Principal,
  input: NoteAddInput,
): Promise<Result<IOpportunityNote>> {
  const checks = new Checks<ErrorCode>();
  checks.text(input.body, f('body'), 5000);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const reached = await writableOpportunity(tx, principal, input.opportunityId, f('opportunityId'));
    if (!reached.ok) return reached;
    const opportunity = reached.value;
    const now = clock.now();
    const { actorKind, actorId } = actorOf(principal);
    const note = tx.create(OpportunityNote, {
      opportunityId: opportunity.id,
      storefrontId: opportunity.storefrontId,
      body: input.body.trim(),
      internal: principal.kind === 'staff' ? (input.internal ?? true) : false,
      authorKind: actorKind,
      authorId: actorId,
      createdAt: now,
    });
    await tx.flush();
    await touchActivity(tx, opportunity, now);
    return ok(note);
  });
}

export type ShareInput = { id: string; staffIds?: string[] | null; teamIds?: string[] | null; canWrite?: boolean | null };

/**
 * Shares an opportunity with staff members and teams (each team's active members now; share again to
 * add later members), by a writer of it. Shared staff read it (and write it with `canWrite`) in this
 * brand even outside their segments; a share to staff not acting on this brand gives them nothing.
 * Sharing again updates `canWrite`.
 */
export async function opportunityShare(
  em: EntityManager,
  services: OpportunityServices,
  principal: Principal,
  input: ShareInput,
): Promise<Result<IOpportunity>> {
  const checks = new Checks<ErrorCode>();
  checks.uuids(input.staffIds, f('staffIds'), 100);
  checks.uuids(input.teamIds, f('teamIds'), 20);
  if (!input.staffIds?.length && !input.teamIds?.length) checks.add('REQUIRED', 'Give staffIds or teamIds', f('staffIds'));
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const reached = await writableOpportunity(em, principal, input.id, f('id'));
  if (!reached.ok) return reached;
  const opportunity = reached.value;
  const targets = new Map<string, string | null>((input.staffIds ?? []).map((id) => [id, null]));
  for (const [i, teamId] of (input.teamIds ?? []).entries()) {
    const members = await teamMembers(directoryFor(services, opportunity.storefrontId), teamId);
    if (!members.length) return fail('NOT_FOUND', 'No such team (or no active member)', f('teamIds', String(i)));
    for (const m of members) if (!targets.has(m.id)) targets.set(m.id, teamId);
  }
  await em.transactional(async (tx) => {
    const now = services.clock.now();
    for (const [staffId, teamId] of targets)
      await tx.execute(
        `insert into "opportunity"."opportunity_share" (id, opportunity_id, storefront_id, staff_id, team_id, can_write, shared_by, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (opportunity_id, staff_id) do update set can_write = excluded.can_write`,
        [
          newId(),
          opportunity.id,
          opportunity.storefrontId,
          staffId,
          teamId,
          input.canWrite ?? false,
          `${principal.kind}:${principal.id}`,
          now,
        ],
      );
  });
  return ok(opportunity);
}

/** Withdraws shares (staff, and every share made through a team). */
export async function opportunityUnshare(em: EntityManager, principal: Principal, input: ShareInput): Promise<Result<IOpportunity>> {
  const reached = await writableOpportunity(em, principal, input.id, f('id'));
  if (!reached.ok) return reached;
  const opportunity = reached.value;
  const staffIds = (input.staffIds ?? []).filter(isUuid);
  const teamIds = (input.teamIds ?? []).filter(isUuid);
  if (staffIds.length) await em.nativeDelete(OpportunityShare, { opportunityId: opportunity.id, staffId: { $in: staffIds } });
  if (teamIds.length) await em.nativeDelete(OpportunityShare, { opportunityId: opportunity.id, teamId: { $in: teamIds } });
  return ok(opportunity);
}
