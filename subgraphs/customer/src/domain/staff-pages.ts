import { ALL_BRANDS, actingStorefront, cursorDate, cursorId, type OrmKey, type Page, type Principal, windowByParent } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IStaff, type ITeamMember, Staff, TeamMember } from '../entities/index.js';

/**
 * Per-parent pages of staff lists (`Staff.reports`, `Team.members`): one statement per page request
 * however many parents, with who the caller may see written into it rather than filtered afterwards.
 */
const BY_ID: OrmKey[] = [{ field: 'id', dir: 'asc', parse: cursorId }];
const JOINED: OrmKey[] = [
  { field: 'createdAt', dir: 'asc', parse: cursorDate },
  { field: 'id', dir: 'asc', parse: cursorId },
];
export const joinedKey = (m: ITeamMember): unknown[] => [m.createdAt.toISOString(), m.id];

/** Direct reports the caller may see: those of a staff caller's own brand (any for a service); none for others. */
function reportScope(principal: Principal): FilterQuery<IStaff> | null {
  if (principal.kind === 'service') return {};
  if (principal.kind === 'staff' && principal.storefrontId) return { storefrontId: principal.storefrontId };
  return null;
}

/** A page of each manager's direct reports, by id. */
export async function reportsOfEach(em: EntityManager, principal: Principal, managerIds: string[], page: Page): Promise<IStaff[]> {
  const scope = reportScope(principal);
  return scope ? windowByParent(em, Staff, 'manager', managerIds, scope, BY_ID, page) : [];
}

/**
 * Team members the caller may see in a team it sees: those acting on the caller's brand (a staff
 * caller's acting brand; a service's brand, any when it names none); null for no one.
 */
function memberScope(principal: Principal): FilterQuery<IStaff> | null {
  if (principal.kind !== 'staff' && principal.kind !== 'service') return null;
  const brand = principal.kind === 'service' ? principal.storefrontId : actingStorefront(principal);
  if (!brand) return principal.kind === 'service' ? {} : null;
  return { $or: [{ storefrontId: brand }, { storefronts: { $overlap: [brand, ALL_BRANDS] } }] };
}

/** A page of each team's memberships (staff populated), in the order members joined; only active members when `activeOnly`. */
export async function membersOfEach(
  em: EntityManager,
  principal: Principal,
  teamIds: string[],
  page: Page,
  activeOnly: boolean,
): Promise<ITeamMember[]> {
  const scope = memberScope(principal);
  if (!scope) return [];
  const staff = activeOnly ? { $and: [scope, { active: true }] } : scope;
  const rows = await windowByParent(em, TeamMember, 'team', teamIds, { staff } as FilterQuery<ITeamMember>, JOINED, page);
  await em.populate(rows, ['staff']);
  return rows;
}
