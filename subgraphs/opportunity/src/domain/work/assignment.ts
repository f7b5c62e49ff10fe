import { checkStaff, fail, isUuid, ok, type Principal, pickAssignee, type StaffContact, teamMembers, teamsFor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, Opportunity } from '../../entities/index.js';
import type { Result } from '../opportunity.errors.js';
import type { OpportunityServices } from '../services.js';
import { writableOpportunity } from './access.js';
import { touchActivity } from './activity.js';
import { directoryFor, notifyAfterCommit, opportunityUrl } from './directory.js';
import { assignmentTarget } from './rule-sets.js';
import { staffErrors } from './staff-checks.js';

/**
 * Assignment: the storefront's ASSIGNMENT rules pick a team (or a partner queue); without a match, the
 * brand's SALES teams for the segment and region (`teamsFor`, most specific first). The owner is the
 * team member with the fewest OPEN opportunities (round robin among equals, `pickAssignee`) among those
 * granted the opportunity's brand and segment (an explicit owner too: kit staff-grants). Directory
 * calls happen before the transaction; the owner is notified (`opportunity.assigned`) after commit.
 */
type Routed = { teamId: string | null; partnerId: string | null; ruleId: string | null; members: StaffContact[] };

async function routeOf(em: EntityManager, services: OpportunityServices, o: IOpportunity): Promise<Routed> {
  const target = await assignmentTarget(em, o);
  if (target.partnerId) return { ...target, members: [] };
  const directory = directoryFor(services, o.storefrontId);
  if (target.teamId) return { ...target, members: await teamMembers(directory, target.teamId) };
  const [team] = await teamsFor(directory, {
    kind: 'SALES',
    segment: o.segment,
    ...(o.address?.region ? { region: o.address.region } : {}),
  });
  return { teamId: team?.id ?? null, partnerId: null, ruleId: null, members: team?.members ?? [] };
}

/** Open opportunities per member (the load), and who the team's last routed opportunity went to. */
async function loadOf(em: EntityManager, storefrontId: string, teamId: string | null, members: StaffContact[]) {
  const load = new Map<string, number>();
  if (!members.length) return { load, last: null };
  const rows = (await em.execute(
    `select owner_staff_id as id, count(*)::int as n from "opportunity"."opportunity"
     where storefront_id = ? and status = 'OPEN' and owner_staff_id in (?) group by owner_staff_id`,
    [storefrontId, members.map((m) => m.id)],
  )) as { id: string; n: number }[];
  for (const r of rows) load.set(r.id, r.n);
  const [last] = teamId
    ? ((await em.execute(
        `select o.owner_staff_id as id from "opportunity"."opportunity_routing" r join "opportunity"."opportunity" o on o.id = r.opportunity_id
         where r.team_id = ? and o.owner_staff_id is not null order by r.updated_at desc limit 1`,
        [teamId],
      )) as { id: string }[])
    : [];
  return { load, last: last?.id ?? null };
}

/** The members who may own it: active, granted its brand and segment (kit staff-grants; one directory call). */
async function eligible(services: OpportunityServices, o: IOpportunity, members: StaffContact[]): Promise<StaffContact[]> {
  if (!members.length) return members;
  const verdicts = await checkStaff(
    directoryFor(services, o.storefrontId),
    members.map((m) => m.id),
    o.segment,
  );
  return members.filter((m) => verdicts.get(m.id) === 'OK');
}

type Assignment = { opportunity: IOpportunity; notify: StaffContact | null };

/** Writes the routing and owner (when `owner` is given or the opportunity has none and `pick` allows) in one transaction. */
async function write(
  em: EntityManager,
  services: OpportunityServices,
  id: string,
  routed: Routed,
  owner: StaffContact | null,
  replaceOwner: boolean,
  version?: number,
): Promise<Result<Assignment>> {
  return em.transactional(async (tx) => {
    const o = await tx.findOne(Opportunity, { id }, { refresh: true });
    if (!o) return fail('NOT_FOUND', 'No such opportunity', ['input', 'id']);
    if (version != null && o.version !== version)
      return fail('CONFLICT', `The opportunity changed since version ${version}; reload it`, ['input', 'version']);
    const now = services.clock.now();
    let notify: StaffContact | null = null;
    if (owner && (replaceOwner || !o.ownerStaffId) && o.ownerStaffId !== owner.id) {
      o.ownerStaffId = owner.id;
      notify = owner;
    }
    if (routed.partnerId && !o.partnerId) o.partnerId = routed.partnerId;
    if (notify || o.partnerId === routed.partnerId) o.updatedAt = now;
    await tx.flush();
    await touchActivity(tx, o, now);
    await tx.execute(
      `update "opportunity"."opportunity_routing" set team_id = ?, partner_queue_id = ?, rule_id = ?, updated_at = ? where opportunity_id = ?`,
      [routed.teamId, routed.partnerId, routed.ruleId, now, o.id],
    );
    return ok({ opportunity: o, notify });
  });
}

async function announce(services: OpportunityServices, a: Assignment): Promise<void> {
  if (!a.notify) return;
  const o = a.opportunity;
  await notifyAfterCommit(services, o.storefrontId, [
    {
      staffId: a.notify.id,
      templateKey: 'opportunity.assigned',
      variables: { opportunityId: o.id, opportunityName: o.name, stage: o.stage, url: opportunityUrl(o.id) },
      dedupeKey: `opportunity-assigned:${o.id}:${a.notify.id}:${o.version}`,
    },
  ]);
}

/**
 * Routes a new opportunity (after `opportunityCreate` / `leadQualify` committed): team by rules or
 * fallback, owner by load when it has none (a partner's capture, a lead nobody owned); a staff
 * creator keeps it. Never fails the creation: a directory outage leaves it unrouted (logged).
 */
export async function routeNew(em: EntityManager, services: OpportunityServices, opportunity: IOpportunity): Promise<IOpportunity> {
  const fork = em.fork() as EntityManager;
  const routed = await routeOf(fork, services, opportunity);
  const { load, last } = await loadOf(fork, opportunity.storefrontId, routed.teamId, routed.members);
  const owner = opportunity.ownerStaffId ? null : pickAssignee(await eligible(services, opportunity, routed.members), load, last);
  const result = await write(fork, services, opportunity.id, routed, owner, false);
  if (!result.ok) return opportunity;
  await announce(services, result.value);
  return result.value.opportunity;
}

export type AssignInput = { id: string; version: number; ownerStaffId?: string | null; teamId?: string | null; auto?: boolean | null };

/**
 * Manual assignment by a writer of the opportunity: to a member of `teamId` (or of the opportunity's
 * routed team, or of one of the brand's SALES teams), or `auto` — rules and load, replacing the owner.
 */
export async function opportunityAssign(
  em: EntityManager,
  services: OpportunityServices,
  principal: Principal,
  input: AssignInput,
): Promise<Result<IOpportunity>> {
  const f = (...p: string[]) => ['input', ...p];
  if (!input.auto && !input.ownerStaffId) return fail('REQUIRED', 'Give ownerStaffId, or auto: true', f('ownerStaffId'));
  if (input.ownerStaffId != null && !isUuid(input.ownerStaffId)) return fail('INVALID', 'Not an id', f('ownerStaffId'));
  if (input.teamId != null && !isUuid(input.teamId)) return fail('INVALID', 'Not an id', f('teamId'));
  const reached = await writableOpportunity(em, principal, input.id, f('id'));
  if (!reached.ok) return reached;
  const o = reached.value;
  if (o.version !== input.version)
    return fail('CONFLICT', `The opportunity changed since version ${input.version}; reload it`, f('version'));
  const directory = directoryFor(services, o.storefrontId);
  let routed: Routed;
  let owner: StaffContact | null;
  if (input.auto && !input.ownerStaffId) {
    routed = input.teamId
      ? { teamId: input.teamId, partnerId: null, ruleId: null, members: await teamMembers(directory, input.teamId) }
      : await routeOf(em, services, o);
    const candidates = await eligible(
      services,
      o,
      routed.members.filter((m) => m.id !== o.ownerStaffId),
    );
    const { load, last } = await loadOf(em, o.storefrontId, routed.teamId, candidates);
    owner = pickAssignee(candidates, load, last) ?? null;
    if (!owner && !routed.partnerId) return fail('NO_ASSIGNEE', 'No team member to assign', f('teamId'));
  } else {
    const teams = input.teamId
      ? [{ id: input.teamId, members: await teamMembers(directory, input.teamId) }]
      : await teamsFor(directory, { kind: 'SALES' });
    const team = teams.find((t) => t.members.some((m) => m.id === input.ownerStaffId));
    owner = team?.members.find((m) => m.id === input.ownerStaffId) ?? null;
    if (!team || !owner)
      return fail('NOT_A_MEMBER', 'The owner must be an active member of the team (or of a sales team of this brand)', f('ownerStaffId'));
    routed = { teamId: team.id, partnerId: null, ruleId: null, members: team.members };
    // A team member may still lack a grant of the opportunity's brand or segment.
    const refused = await staffErrors(services.peers, o.storefrontId, o.segment, [{ staffId: owner.id, field: f('ownerStaffId') }]);
    if (refused.length) return { ok: false, errors: refused };
  }
  const result = await write(em.fork() as EntityManager, services, o.id, routed, owner, true, input.version);
  if (!result.ok) return result;
  await announce(services, result.value);
  return ok(result.value.opportunity);
}
