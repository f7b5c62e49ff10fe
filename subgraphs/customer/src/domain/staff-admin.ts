import {
  ALL_BRANDS,
  actingStorefront,
  Checks,
  fail,
  hashPassword,
  keysetOrderBy,
  keysetWhere,
  mayActOn,
  normaliseEmail,
  type OrmKey,
  ok,
  type Page,
  type Principal,
  passwordProblem,
} from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessGroup, type IAccessGroup, type IStaff, Staff } from '../entities/index.js';
import { visibleGroups } from './access-groups.js';
import type { ErrorCode, Result } from './customer.errors.js';
import { brandsOverlap, outranks, staffGrants, ungrantableBrands, ungrantableScopes, ungrantableSegments } from './grants.js';
import type { CustomerServices } from './services.js';
import { revokeSubjectSessions } from './sessions.js';
import { oneTimePassword } from './staff-password.js';

/**
 * Staff administration (scope `staff:manage`), in the administrator's acting brand: staff whose home
 * brand it is. Grants follow `grants.ts` (no escalation); a change reaches the member's next token at
 * the latest, and a deactivation ends their sessions at once.
 */
const NO_BRAND = '00000000-0000-0000-0000-000000000000';
const MAX_SEGMENTS = 50;

/** A staff member of the administrator's acting brand, with their groups; null when unknown or another brand's. */
export async function findManagedStaff(em: EntityManager, principal: Principal, id: string): Promise<IStaff | null> {
  if (!new Checks<ErrorCode>().uuid(id, [])) return null;
  return em.findOne(Staff, { id, storefrontId: actingStorefront(principal) ?? NO_BRAND }, { populate: ['accessGroups'] });
}

const outranked = () => fail('FORBIDDEN', 'This staff member holds grants you do not', ['input', 'id']);

/** Brand grants from input: the home brand, extra brands, or the explicit all-brands grant. */
const brandGrants = (home: string, storefrontIds: string[] | null | undefined, allBrands: boolean | null | undefined) =>
  allBrands ? [home, ALL_BRANDS] : [...new Set([home, ...(storefrontIds ?? [])])].filter((b) => allBrands !== false || b !== ALL_BRANDS);

function checkGrants(
  checks: Checks<ErrorCode>,
  principal: Principal,
  brands: string[] | null,
  segments: string[] | null | undefined,
): void {
  if (brands) {
    const refused = ungrantableBrands(principal, brands);
    if (refused.length) checks.add('FORBIDDEN', 'You can only grant brands you are granted', ['input', 'storefrontIds']);
  }
  if (segments == null) return;
  if (segments.length > MAX_SEGMENTS) checks.add('TOO_MANY', `At most ${MAX_SEGMENTS} segments`, ['input', 'segments']);
  for (const [i, s] of segments.entries()) checks.text(s, ['input', 'segments', String(i)], 40);
  if (ungrantableSegments(principal, segments).length)
    checks.add('FORBIDDEN', 'You can only grant segments you hold', ['input', 'segments']);
}

/**
 * The manager a member may report to: active, of a brand the administrator acts on, sharing a brand
 * with the member, and not the member or anyone below them (no cycles).
 */
async function checkManager(
  em: EntityManager,
  principal: Principal,
  checks: Checks<ErrorCode>,
  member: { id: string | null; brands: string[] },
  managerId: string,
): Promise<IStaff | null> {
  const field = ['input', 'managerId'];
  if (!checks.uuid(managerId, field)) return null;
  const manager = await em.findOne(Staff, { id: managerId, active: true });
  if (!manager || !mayActOn(principal, manager.storefrontId)) {
    checks.add('NOT_FOUND', 'No such active staff member', field);
    return null;
  }
  if (!brandsOverlap([manager.storefrontId, ...manager.storefronts], member.brands))
    checks.add('MANAGER_OTHER_BRAND', 'A manager must share a brand with the member', field);
  if (member.id) {
    const chain: { id: string }[] = await em.execute(
      `with recursive chain(id, manager_id) as (select id, manager_id from "customer"."staff" where id = ?
         union select s.id, s.manager_id from "customer"."staff" s join chain on s.id = chain.manager_id) select id from chain`,
      [managerId],
    );
    if (chain.some((row) => row.id === member.id))
      checks.add('MANAGER_CYCLE', 'A member cannot report to themselves or to someone below them', field);
  }
  return manager;
}

async function findGroups(
  em: EntityManager,
  principal: Principal,
  checks: Checks<ErrorCode>,
  ids: string[] | null | undefined,
): Promise<IAccessGroup[]> {
  if (!ids?.length) return [];
  checks.uuids(ids, ['input', 'accessGroupIds'], 50);
  if (!checks.ok) return [];
  const groups = await em.find(AccessGroup, { $and: [{ id: { $in: ids } }, visibleGroups(principal)] });
  for (const [i, id] of ids.entries()) {
    const group = groups.find((g) => g.id === id);
    const field = ['input', 'accessGroupIds', String(i)];
    if (!group) checks.add('NOT_FOUND', 'No such access group', field);
    else if (ungrantableScopes(principal, group.scopes).length) checks.add('FORBIDDEN', 'This group holds scopes you do not', field);
  }
  return groups;
}

export type StaffCreateInput = {
  email: string;
  name: string;
  managerId?: string | null;
  segments: string[];
  storefrontIds?: string[] | null;
  allBrands?: boolean | null;
  accessGroupIds?: string[] | null;
  password?: string | null;
};
export type CreatedStaff = { staff: IStaff; oneTimePassword: string | null };

/** A new member of the acting brand. Their first password, given or generated, must be changed at first sign-in. */
export async function staffCreate(em: EntityManager, principal: Principal, input: StaffCreateInput): Promise<Result<CreatedStaff>> {
  const home = actingStorefront(principal);
  if (!home) return fail('NOT_FOUND', 'No storefront in scope', ['input']);
  const checks = new Checks<ErrorCode>();
  checks.email(input.email, ['input', 'email']);
  checks.text(input.name, ['input', 'name'], 120);
  checks.uuids(input.storefrontIds, ['input', 'storefrontIds'], 50);
  const brands = brandGrants(home, input.storefrontIds, input.allBrands);
  checkGrants(checks, principal, brands, input.segments);
  if (input.password != null) {
    const problem = passwordProblem(input.password);
    if (problem) checks.add('WEAK_PASSWORD', problem, ['input', 'password']);
  }
  const groups = await findGroups(em, principal, checks, input.accessGroupIds);
  const manager = input.managerId ? await checkManager(em, principal, checks, { id: null, brands }, input.managerId) : null;
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const generated = input.password == null ? oneTimePassword() : null;
  const passwordHash = await hashPassword(input.password ?? (generated as string));
  try {
    const staff = await em.transactional(async (tx) => {
      const member = tx.create(Staff, {
        storefrontId: home,
        storefronts: brands,
        email: normaliseEmail(input.email),
        name: input.name.trim(),
        passwordHash,
        passwordChangedAt: new Date(),
        mustChangePassword: true,
        manager,
        segments: [...new Set(input.segments.map((s) => s.trim()))],
      });
      for (const group of groups) member.accessGroups.add(group);
      return member;
    });
    return ok({ staff, oneTimePassword: generated });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return fail('TAKEN', 'A staff member has this email', ['input', 'email']);
    throw error;
  }
}

export type StaffUpdateInput = {
  id: string;
  name?: string | null;
  managerId?: string | null;
  segments?: string[] | null;
  storefrontIds?: string[] | null;
  allBrands?: boolean | null;
};

/** Name, manager (null: none), segments and brand grants; absent fields stay as they are. */
export async function staffUpdate(em: EntityManager, principal: Principal, input: StaffUpdateInput): Promise<Result<IStaff>> {
  const staff = await findManagedStaff(em, principal, input.id);
  if (!staff) return fail('NOT_FOUND', 'No such staff member', ['input', 'id']);
  if (!outranks(principal, staffGrants(staff))) return outranked();
  const checks = new Checks<ErrorCode>();
  if (input.name !== undefined) checks.text(input.name ?? '', ['input', 'name'], 120);
  checks.uuids(input.storefrontIds, ['input', 'storefrontIds'], 50);
  const brandsChange = input.storefrontIds != null || input.allBrands != null;
  const brands = brandsChange
    ? brandGrants(staff.storefrontId, input.storefrontIds ?? staff.storefronts, input.allBrands)
    : staff.storefronts;
  checkGrants(checks, principal, brandsChange ? brands : null, input.segments);
  const manager = input.managerId ? await checkManager(em, principal, checks, { id: staff.id, brands }, input.managerId) : null;
  // The current manager must still share a brand once brands change.
  if (brandsChange && input.managerId === undefined && staff.manager) {
    const current = await em.findOne(Staff, { id: staff.manager.id });
    if (current && !brandsOverlap([current.storefrontId, ...current.storefronts], brands))
      checks.add('MANAGER_OTHER_BRAND', 'The member’s manager would no longer share a brand with them', ['input', 'storefrontIds']);
  }
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (input.name != null) staff.name = input.name.trim();
  if (input.managerId !== undefined) staff.manager = manager;
  if (input.segments != null) staff.segments = [...new Set(input.segments.map((s) => s.trim()))];
  if (brandsChange) staff.storefronts = brands.includes(ALL_BRANDS) ? [staff.storefrontId, ALL_BRANDS] : brands;
  await em.flush();
  return ok(staff);
}

/** The member can no longer sign in, and every session of theirs ends now. */
export async function staffDeactivate(
  em: EntityManager,
  services: CustomerServices,
  principal: Principal,
  id: string,
): Promise<Result<IStaff>> {
  if (id === principal.id) return fail('FORBIDDEN', 'You cannot deactivate yourself', ['input', 'id']);
  const staff = await findManagedStaff(em, principal, id);
  if (!staff) return fail('NOT_FOUND', 'No such staff member', ['input', 'id']);
  if (!outranks(principal, staffGrants(staff))) return outranked();
  staff.active = false;
  await em.flush();
  await revokeSubjectSessions(em, services, 'staff', staff.id);
  return ok(staff);
}

export type GroupMembershipInput = { staffId: string; accessGroupId: string };

/** Adds (or removes) one group of a member; the administrator must hold the member's grants and the group's scopes. */
export async function accessGroupMembership(
  em: EntityManager,
  principal: Principal,
  input: GroupMembershipInput,
  action: 'assign' | 'remove',
): Promise<Result<IStaff>> {
  const staff = await findManagedStaff(em, principal, input.staffId);
  if (!staff) return fail('NOT_FOUND', 'No such staff member', ['input', 'staffId']);
  const checks = new Checks<ErrorCode>();
  const [group] = await findGroups(em, principal, checks, [input.accessGroupId]);
  if (!checks.ok || !group)
    return fail(checks.errors[0]?.code ?? 'NOT_FOUND', checks.errors[0]?.message ?? 'No such access group', ['input', 'accessGroupId']);
  if (!outranks(principal, staffGrants(staff))) return fail('FORBIDDEN', 'This staff member holds grants you do not', ['input', 'staffId']);
  if (action === 'assign') staff.accessGroups.add(group);
  else staff.accessGroups.remove(group);
  await em.flush();
  return ok(staff);
}

export type StaffFilter = { query?: string | null; active?: boolean | null; managerId?: string | null; accessGroupId?: string | null };

const BY_ID: OrmKey[] = [{ field: 'id', dir: 'asc' }];

/** One page (by id) of the acting brand's staff, filtered. */
export async function listStaff(
  em: EntityManager,
  principal: Principal,
  filter: StaffFilter | null | undefined,
  page: Page,
): Promise<Result<IStaff[]>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(page.after?.[0] as string | undefined, ['after']);
  checks.uuid(page.before?.[0] as string | undefined, ['before']);
  checks.uuid(filter?.managerId, ['filter', 'managerId']);
  checks.uuid(filter?.accessGroupId, ['filter', 'accessGroupId']);
  checks.text(filter?.query, ['filter', 'query'], 120, false);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const where: Record<string, unknown>[] = [{ storefrontId: actingStorefront(principal) ?? NO_BRAND }];
  where.push(keysetWhere(BY_ID, page));
  if (filter?.active != null) where.push({ active: filter.active });
  if (filter?.managerId) where.push({ manager: filter.managerId });
  if (filter?.accessGroupId) where.push({ accessGroups: filter.accessGroupId });
  const q = filter?.query?.trim();
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push({ $or: [{ name: { $ilike: like } }, { email: { $ilike: like } }] });
  }
  const rows = await em.find(Staff, { $and: where }, { orderBy: keysetOrderBy(BY_ID, page), limit: page.limit + 1 });
  return ok(rows);
}
