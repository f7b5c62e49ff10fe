import {
  ALL_BRANDS,
  actingStorefront,
  Checks,
  cursorId,
  cursorText,
  fail,
  keysetOrderBy,
  keysetWhere,
  mayActOn,
  mayActOnEveryBrand,
  type OrmKey,
  ok,
  type Page,
  type Principal,
} from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IStaff, type ITeam, Staff, Team, type TeamKind, TeamMember } from '../entities/index.js';
import type { ErrorCode, Result } from './customer.errors.js';

/**
 * Teams (scope `staff:manage` to change them): a brand's own, in the administrator's acting brand, or
 * shared by every brand, which only the all-brands grant changes — the access-group rules. A manager
 * or member is an ACTIVE staff member of a brand the administrator acts on who may act on the team's
 * brand. Being in a team grants nothing; other modules route work (leads, quotes, tickets) by it.
 */
const NO_BRAND = '00000000-0000-0000-0000-000000000000';
const MAX_CODES = 50;
const MAX_MEMBERS = 100;

/** Teams a staff member may see: their acting brand's and the shared ones; a service: its brand's and the shared ones. */
export const visibleTeams = (principal: Principal) => ({
  $or: [{ storefrontId: null }, { storefrontId: actingStorefront(principal) ?? NO_BRAND }],
});

export function teamVisible(principal: Principal, team: ITeam | null): ITeam | null {
  if (!team || (principal.kind !== 'staff' && principal.kind !== 'service')) return null;
  return team.storefrontId == null || team.storefrontId === actingStorefront(principal) ? team : null;
}

/**
 * A member shown in a team the caller sees: one who acts on the caller's brand (staff: their acting
 * brand; a service: the brand it calls for, any when it names none).
 */
export function memberVisible(principal: Principal, staff: IStaff): boolean {
  if (principal.kind !== 'staff' && principal.kind !== 'service') return false;
  const brand = principal.kind === 'service' ? principal.storefrontId : actingStorefront(principal);
  if (!brand) return principal.kind === 'service';
  return staff.storefrontId === brand || staff.storefronts.some((b) => b === brand || b === ALL_BRANDS);
}

export type TeamFilter = { kind?: TeamKind | null; active?: boolean | null; staffId?: string | null };

/** Teams by name, then id. */
const BY_NAME: OrmKey[] = [
  { field: 'name', dir: 'asc', parse: cursorText },
  { field: 'id', dir: 'asc', parse: cursorId },
];
export const teamKey = (t: ITeam): unknown[] => [t.name, t.id];

/** A page of the teams the caller sees, by name (one row past the page). */
export async function listTeams(
  em: EntityManager,
  principal: Principal,
  filter: TeamFilter | null | undefined,
  page: Page,
): Promise<Result<ITeam[]>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(filter?.staffId, ['filter', 'staffId']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const where: Record<string, unknown>[] = [visibleTeams(principal)];
  if (filter?.kind) where.push({ kind: filter.kind });
  if (filter?.active != null) where.push({ active: filter.active });
  if (filter?.staffId) {
    const ids = (await em.find(TeamMember, { staff: filter.staffId })).map((m) => m.team.id);
    where.push({ id: { $in: ids } });
  }
  where.push(keysetWhere(BY_NAME, page));
  return ok(await em.find(Team, { $and: where }, { orderBy: keysetOrderBy(BY_NAME, page) as never, limit: page.limit + 1 }));
}

/** A team the administrator may change: visible, and shared ones only with the all-brands grant. */
async function findManagedTeam(em: EntityManager, principal: Principal, id: string, field: string[]): Promise<Result<ITeam>> {
  const checks = new Checks<ErrorCode>();
  if (!checks.uuid(id, field)) return { ok: false, errors: checks.errors };
  const team = await em.findOne(Team, { $and: [{ id }, visibleTeams(principal)] });
  if (!team) return fail('NOT_FOUND', 'No such team', field);
  if (team.storefrontId == null && !mayActOnEveryBrand(principal))
    return fail('FORBIDDEN', 'Teams shared by every brand need the all-brands grant', field);
  return ok(team);
}

/** Codes as stored: trimmed, lower case, unique, in input order. */
const codes = (values: string[]) => [...new Set(values.map((v) => v.trim().toLowerCase()))];

function checkCodes(checks: Checks<ErrorCode>, values: string[] | null | undefined, name: string): void {
  if (values == null) return;
  if (values.length > MAX_CODES) checks.add('TOO_MANY', `At most ${MAX_CODES} items`, ['input', name]);
  for (const [i, v] of values.entries()) checks.text(v, ['input', name, String(i)], 80);
}

/** Active staff who may join (or manage) a team of `brand` (null: shared), each checked; the rows in input order. */
async function eligibleStaff(
  em: EntityManager,
  principal: Principal,
  checks: Checks<ErrorCode>,
  brand: string | null,
  ids: string[],
  field: string[],
): Promise<IStaff[]> {
  if (!ids.length) return [];
  checks.uuids(ids, field, MAX_MEMBERS);
  if (!checks.ok) return [];
  const rows = await em.find(Staff, { id: { $in: ids }, active: true });
  const found: IStaff[] = [];
  for (const [i, id] of ids.entries()) {
    const staff = rows.find((s) => s.id === id);
    const at = ids.length === 1 && field.at(-1) !== 'memberIds' ? field : [...field, String(i)];
    if (!staff || !mayActOn(principal, staff.storefrontId)) checks.add('NOT_FOUND', 'No such active staff member', at);
    else if (brand && staff.storefrontId !== brand && !staff.storefronts.some((b) => b === brand || b === ALL_BRANDS))
      checks.add('OTHER_BRAND', 'This staff member does not act on the team’s brand', at);
    else found.push(staff);
  }
  return found;
}

export type TeamCreateInput = {
  name: string;
  kind: TeamKind;
  skills?: string[] | null;
  segments?: string[] | null;
  regions?: string[] | null;
  managerId?: string | null;
  memberIds?: string[] | null;
  shared?: boolean | null;
};

export async function teamCreate(em: EntityManager, principal: Principal, input: TeamCreateInput): Promise<Result<ITeam>> {
  const checks = new Checks<ErrorCode>();
  const brand = input.shared ? null : actingStorefront(principal);
  if (input.shared && !mayActOnEveryBrand(principal))
    checks.add('FORBIDDEN', 'Teams shared by every brand need the all-brands grant', ['input', 'shared']);
  if (!input.shared && !brand) checks.add('NOT_FOUND', 'No storefront in scope', ['input']);
  checks.text(input.name, ['input', 'name'], 80);
  checkCodes(checks, input.skills, 'skills');
  checkCodes(checks, input.segments, 'segments');
  checkCodes(checks, input.regions, 'regions');
  const [manager] = input.managerId ? await eligibleStaff(em, principal, checks, brand, [input.managerId], ['input', 'managerId']) : [];
  const memberIds = [...new Set(input.memberIds ?? [])];
  const members = await eligibleStaff(em, principal, checks, brand, memberIds, ['input', 'memberIds']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return saveTeam(em, async () => {
    const team = em.create(Team, {
      storefrontId: brand,
      name: input.name.trim(),
      kind: input.kind,
      skills: codes(input.skills ?? []),
      segments: codes(input.segments ?? []),
      regions: codes(input.regions ?? []),
      manager: manager ?? null,
    });
    for (const staff of members) em.create(TeamMember, { team, staff });
    return team;
  });
}

export type TeamUpdateInput = {
  id: string;
  name?: string | null;
  kind?: TeamKind | null;
  skills?: string[] | null;
  segments?: string[] | null;
  regions?: string[] | null;
  managerId?: string | null;
  active?: boolean | null;
};

/** Absent fields stay as they are; `managerId: null` leaves the team without a manager. */
export async function teamUpdate(em: EntityManager, principal: Principal, input: TeamUpdateInput): Promise<Result<ITeam>> {
  const found = await findManagedTeam(em, principal, input.id, ['input', 'id']);
  if (!found.ok) return found;
  const team = found.value;
  const checks = new Checks<ErrorCode>();
  if (input.name !== undefined) checks.text(input.name ?? '', ['input', 'name'], 80);
  checkCodes(checks, input.skills, 'skills');
  checkCodes(checks, input.segments, 'segments');
  checkCodes(checks, input.regions, 'regions');
  const [manager] = input.managerId
    ? await eligibleStaff(em, principal, checks, team.storefrontId ?? null, [input.managerId], ['input', 'managerId'])
    : [];
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return saveTeam(em, async () => {
    if (input.name != null) team.name = input.name.trim();
    if (input.kind != null) team.kind = input.kind;
    if (input.skills != null) team.skills = codes(input.skills);
    if (input.segments != null) team.segments = codes(input.segments);
    if (input.regions != null) team.regions = codes(input.regions);
    if (input.managerId !== undefined) team.manager = manager ?? null;
    if (input.active != null) team.active = input.active;
    return team;
  });
}

export type TeamMemberInput = { teamId: string; staffId: string };

/** Adds a member (idempotent: already a member is fine) or removes one (not a member: NOT_FOUND). */
export async function teamMembership(
  em: EntityManager,
  principal: Principal,
  input: TeamMemberInput,
  action: 'add' | 'remove',
): Promise<Result<ITeam>> {
  const found = await findManagedTeam(em, principal, input.teamId, ['input', 'teamId']);
  if (!found.ok) return found;
  const team = found.value;
  const checks = new Checks<ErrorCode>();
  if (!checks.uuid(input.staffId, ['input', 'staffId'])) return { ok: false, errors: checks.errors };
  const membership = await em.findOne(TeamMember, { team: team.id, staff: input.staffId }, { populate: ['staff'] });
  if (action === 'remove') {
    if (!membership || !mayActOn(principal, membership.staff.storefrontId))
      return fail('NOT_FOUND', 'Not a member of this team', ['input', 'staffId']);
    em.remove(membership);
    await em.flush();
    return ok(team);
  }
  const [staff] = await eligibleStaff(em, principal, checks, team.storefrontId ?? null, [input.staffId], ['input', 'staffId']);
  if (!checks.ok || !staff) return { ok: false, errors: checks.errors };
  if (membership) return ok(team);
  return saveTeam(em, async () => {
    em.create(TeamMember, { team, staff });
    return team;
  });
}

async function saveTeam(em: EntityManager, change: () => Promise<ITeam>): Promise<Result<ITeam>> {
  try {
    const team = await change();
    await em.flush();
    return ok(team);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      em.clear();
      return fail('TAKEN', 'A team of this brand has this name', ['input', 'name']);
    }
    throw error;
  }
}
