import { Checks, fail, hashPassword, normaliseEmail, ok, passwordProblem } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessGroup, type IStaff, Staff } from '../entities/index.js';
import type { ErrorCode, Result } from './customer.errors.js';

/**
 * Every scope a staff member can be granted: what the staff-facing fields' `@access` ask for. The
 * service-only scopes (kit's SERVICE_SCOPES) are never a person's; a test keeps the two lists complete.
 */
export const STAFF_SCOPES = [
  'apikey:manage',
  'audit:read',
  'bulk:manage',
  // Assisted sales: check out a customer's cart on their behalf (cartCheckoutAssisted).
  'cart:assist',
  'catalog:read',
  'catalog:write',
  'contract:approve',
  'contract:manage',
  'contract:read',
  'contract:write',
  'customer:lookup',
  'customer:read',
  'customer:write',
  'finance:approve',
  'interaction:write',
  'knowledge:publish',
  'knowledge:read',
  'knowledge:write',
  'notification:manage',
  'notification:read',
  'nps:read',
  'opportunity:approve',
  'opportunity:manage',
  'opportunity:read',
  'opportunity:write',
  'order:write',
  'partner:manage',
  'promotion:read',
  'promotion:write',
  'quote:admin',
  'quote:approve',
  'quote:read',
  'quote:write',
  'staff:manage',
  'ticket:admin',
  'ticket:read',
  'ticket:write',
];

const ADMINISTRATORS = 'Administrators';

export type AdministratorInput = { storefrontId: string; email: string; name: string; password: string };

/**
 * A staff member with every staff scope and every segment on one storefront, in the access group
 * "Administrators" (created on first use): the first user of an installation (`dcrm bootstrap`),
 * who then manages keys and the rest through the API.
 */
export async function administratorCreate(em: EntityManager, input: AdministratorInput): Promise<Result<IStaff>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.storefrontId, ['storefrontId']);
  checks.email(input.email, ['email']);
  checks.text(input.name, ['name'], 120);
  const problem = passwordProblem(input.password);
  if (problem) checks.add('WEAK_PASSWORD', problem, ['password']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const passwordHash = await hashPassword(input.password);
  try {
    const staff = await em.transactional(async (tx) => {
      const group =
        (await tx.findOne(AccessGroup, { name: ADMINISTRATORS, storefrontId: null })) ??
        tx.create(AccessGroup, { name: ADMINISTRATORS, scopes: STAFF_SCOPES });
      const member = tx.create(Staff, {
        storefrontId: input.storefrontId,
        storefronts: [input.storefrontId],
        email: normaliseEmail(input.email),
        name: input.name.trim(),
        passwordHash,
        passwordChangedAt: new Date(),
        segments: ['*'],
      });
      member.accessGroups.add(group);
      return member;
    });
    return ok(staff);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return fail('TAKEN', 'A staff member has this email', ['email']);
    throw error;
  }
}
