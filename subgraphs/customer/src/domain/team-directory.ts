import { ALL_BRANDS, Checks, isUuid, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IStaff, type ITeam, Staff, Team, type TeamKind } from '../entities/index.js';
import type { ErrorCode } from './customer.errors.js';

/**
 * Lookups other modules make as a service of one brand (`staff:directory`): who manages whom, and
 * which teams (and members) handle a kind of work. Only ACTIVE staff who may act on the service's
 * brand are returned, in a stable order, so a caller can round-robin over them with its own load counts.
 */
const MAX_DEPTH = 20;

const actsOn = (staff: IStaff, brand: string) =>
  staff.active && (staff.storefrontId === brand || staff.storefronts.some((b) => b === brand || b === ALL_BRANDS));

/**
 * The managers above a staff member, nearest first, up to the top: deactivated managers are skipped
 * (the chain goes on above them), as are managers who do not act on the brand. A cycle (which the
 * administration refuses, but data may hold) ends the chain. Empty for an unknown staff member or one
 * of another brand.
 */
export async function managerChain(em: EntityManager, principal: Principal, staffId: string): Promise<IStaff[]> {
  const brand = principal.storefrontId;
  if (!brand || !isUuid(staffId)) return [];
  const rows: { id: string; depth: number }[] = await em.execute(
    `with recursive chain(id, manager_id, depth, path) as (
       select id, manager_id, 0, array[id] from "customer"."staff" where id = ?
       union all
       select s.id, s.manager_id, c.depth + 1, c.path || s.id from "customer"."staff" s join chain c on s.id = c.manager_id
       where not s.id = any(c.path) and c.depth < ?)
     select id, depth from chain order by depth`,
    [staffId, MAX_DEPTH],
  );
  if (!rows.length) return [];
  const staff = new Map((await em.find(Staff, { id: { $in: rows.map((r) => r.id) } })).map((s) => [s.id, s]));
  const start = staff.get(staffId);
  if (!start || !(start.storefrontId === brand || start.storefronts.some((b) => b === brand || b === ALL_BRANDS))) return [];
  return rows
    .filter((r) => r.depth > 0)
    .map((r) => staff.get(r.id))
    .filter((s): s is IStaff => !!s && actsOn(s, brand));
}

/** An active team of the service's brand (or a shared one), whose active members `teamMembers` pages; null for none. */
export async function directoryTeam(em: EntityManager, principal: Principal, teamId: string): Promise<ITeam | null> {
  const brand = principal.storefrontId;
  if (!brand || !isUuid(teamId)) return null;
  return em.findOne(Team, { id: teamId, active: true, $or: [{ storefrontId: null }, { storefrontId: brand }] });
}

export type TeamCriteria = { kind?: TeamKind | null; skill?: string | null; segment?: string | null; region?: string | null };

/**
 * Active teams of the service's brand and the shared ones that take this work: for each criterion
 * given, the team lists it or lists nothing of that sort (a catch-all). Most specific first (teams that
 * name more of the criteria), then the brand's own before shared ones, then by name.
 */
export async function teamsFor(
  em: EntityManager,
  principal: Principal,
  criteria: TeamCriteria,
): Promise<{ teams: ITeam[]; checks: Checks<ErrorCode> }> {
  const checks = new Checks<ErrorCode>();
  for (const name of ['skill', 'segment', 'region'] as const) checks.text(criteria[name], ['criteria', name], 80, false);
  const brand = principal.storefrontId;
  if (!checks.ok || !brand) return { teams: [], checks };
  const code = (v: string | null | undefined) => (v?.trim() ? v.trim().toLowerCase() : null);
  const wanted = { skills: code(criteria.skill), segments: code(criteria.segment), regions: code(criteria.region) };
  const teams = await em.find(Team, {
    active: true,
    $or: [{ storefrontId: null }, { storefrontId: brand }],
    ...(criteria.kind ? { kind: criteria.kind } : {}),
  });
  const score = (t: ITeam) => Object.entries(wanted).filter(([k, v]) => v && (t[k as keyof typeof wanted] as string[]).includes(v)).length;
  const matches = teams.filter((t) =>
    Object.entries(wanted).every(([k, v]) => {
      const list = t[k as keyof typeof wanted] as string[];
      return !v || list.length === 0 || list.includes(v);
    }),
  );
  matches.sort(
    (a, b) =>
      score(b) - score(a) ||
      Number(a.storefrontId == null) - Number(b.storefrontId == null) ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );
  return { teams: matches, checks };
}
