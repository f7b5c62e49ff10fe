import { actingStorefront, Checks, fail, mayActOnEveryBrand, ok, type Principal } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessGroup, type IAccessGroup } from '../entities/index.js';
import { STAFF_SCOPES } from './administrator.js';
import type { ErrorCode, Result } from './customer.errors.js';
import { ungrantableScopes } from './grants.js';

/**
 * Access groups: named sets of scopes. A group belongs to one brand, or is shared by every brand
 * (`storefrontId` null), and only the all-brands grant changes a shared one. An administrator creates
 * and edits groups holding only scopes they hold themselves, so a group never carries more than its
 * editor could grant directly.
 */
const NO_BRAND = '00000000-0000-0000-0000-000000000000';

/** Groups an administrator may see and assign: their acting brand's and the shared ones. */
export const visibleGroups = (principal: Principal) => ({
  $or: [{ storefrontId: null }, { storefrontId: actingStorefront(principal) ?? NO_BRAND }],
});

export const listAccessGroups = (em: EntityManager, principal: Principal) =>
  em.find(AccessGroup, visibleGroups(principal), { orderBy: { name: 'asc', id: 'asc' } });

/** A visible group by id, or null (unknown and other brands' look alike). */
export async function findGroup(em: EntityManager, principal: Principal, id: string): Promise<IAccessGroup | null> {
  const checks = new Checks<ErrorCode>();
  if (!checks.uuid(id, [])) return null;
  return em.findOne(AccessGroup, { $and: [{ id }, visibleGroups(principal)] });
}

function checkScopes(checks: Checks<ErrorCode>, principal: Principal, scopes: string[] | null | undefined): void {
  if (scopes == null) return;
  if (scopes.length > STAFF_SCOPES.length) checks.add('TOO_MANY', `At most ${STAFF_SCOPES.length} scopes`, ['input', 'scopes']);
  if (new Set(scopes).size !== scopes.length) checks.add('DUPLICATE', 'Contains duplicates', ['input', 'scopes']);
  for (const [i, scope] of scopes.entries()) {
    const field = ['input', 'scopes', String(i)];
    if (!STAFF_SCOPES.includes(scope)) checks.add('INVALID', `Unknown scope; known: ${STAFF_SCOPES.join(', ')}`, field);
    else if (ungrantableScopes(principal, [scope]).length) checks.add('FORBIDDEN', 'You can only grant scopes you hold', field);
  }
}

export type AccessGroupCreateInput = { name: string; description?: string | null; scopes: string[]; shared?: boolean | null };

export async function accessGroupCreate(
  em: EntityManager,
  principal: Principal,
  input: AccessGroupCreateInput,
): Promise<Result<IAccessGroup>> {
  const checks = new Checks<ErrorCode>();
  checks.text(input.name, ['input', 'name'], 80);
  checks.text(input.description, ['input', 'description'], 500, false);
  checkScopes(checks, principal, input.scopes);
  const storefrontId = input.shared ? null : actingStorefront(principal);
  if (input.shared && !mayActOnEveryBrand(principal))
    checks.add('FORBIDDEN', 'Groups shared by every brand need the all-brands grant', ['input', 'shared']);
  if (!input.shared && !storefrontId) checks.add('NOT_FOUND', 'No storefront in scope', ['input']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const fields = {
    storefrontId,
    name: input.name.trim(),
    description: input.description?.trim() || null,
    scopes: [...input.scopes].sort(),
  };
  return saveGroup(em, () => em.create(AccessGroup, fields));
}

export type AccessGroupUpdateInput = { id: string; name?: string | null; description?: string | null; scopes?: string[] | null };

export async function accessGroupUpdate(
  em: EntityManager,
  principal: Principal,
  input: AccessGroupUpdateInput,
): Promise<Result<IAccessGroup>> {
  const group = await findGroup(em, principal, input.id);
  if (!group) return fail('NOT_FOUND', 'No such access group', ['input', 'id']);
  const checks = new Checks<ErrorCode>();
  if (input.name !== undefined) checks.text(input.name ?? '', ['input', 'name'], 80);
  checks.text(input.description, ['input', 'description'], 500, false);
  checkScopes(checks, principal, input.scopes);
  if (group.storefrontId == null && !mayActOnEveryBrand(principal))
    checks.add('FORBIDDEN', 'Groups shared by every brand need the all-brands grant', ['input', 'id']);
  // Editing a group that carries more than the editor holds would hand that on.
  if (ungrantableScopes(principal, group.scopes).length) checks.add('FORBIDDEN', 'This group holds scopes you do not', ['input', 'id']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return saveGroup(em, () => {
    if (input.name != null) group.name = input.name.trim();
    if (input.description !== undefined) group.description = input.description?.trim() || null;
    if (input.scopes != null) group.scopes = [...input.scopes].sort();
    return group;
  });
}

async function saveGroup(em: EntityManager, change: () => IAccessGroup): Promise<Result<IAccessGroup>> {
  try {
    const group = change();
    await em.flush();
    return ok(group);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      em.clear();
      return fail('TAKEN', 'A group of this brand has this name', ['input', 'name']);
    }
    throw error;
  }
}
