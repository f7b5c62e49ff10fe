import {
  actingStorefront,
  Checks,
  cursorText,
  fail,
  hashPassword,
  hasScope,
  keysetOrderBy,
  keysetWhere,
  normaliseEmail,
  type OrmKey,
  ok,
  type Page,
  type Principal,
  passwordProblem,
} from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IPartner, type IPartnerUser, Partner, PartnerUser } from '../entities/index.js';
import type { ErrorCode, Result } from './customer.errors.js';
import type { CustomerServices } from './services.js';
import { revokeSubjectSessions } from './sessions.js';
import { oneTimePassword } from './staff-password.js';

/**
 * Users of a partner organisation: staff with `partner:manage` manage those of their acting brand's
 * partners; a partner admin (same scope, from their token) those of their own partner only.
 */
const NO_BRAND = '00000000-0000-0000-0000-000000000000';

/** The partner a call is about, or null (unknown, another brand's or another partner's look alike). */
export async function managedPartner(
  em: EntityManager,
  principal: Principal,
  partnerId: string | null | undefined,
): Promise<IPartner | null> {
  if (!hasScope(principal, 'partner:manage')) return null;
  if (principal.kind === 'partner') {
    if (!principal.partnerId || (partnerId && partnerId !== principal.partnerId)) return null;
    return em.findOne(Partner, { id: principal.partnerId, storefrontId: principal.storefrontId ?? NO_BRAND });
  }
  if (principal.kind !== 'staff' || !partnerId || !new Checks<ErrorCode>().uuid(partnerId, [])) return null;
  return em.findOne(Partner, { id: partnerId, storefrontId: actingStorefront(principal) ?? NO_BRAND });
}

/** Partner users by email (unique). */
const BY_EMAIL: OrmKey[] = [{ field: 'email', dir: 'asc', parse: cursorText }];
export const partnerUserKey = (u: IPartnerUser): unknown[] => [u.email];

/** A page of a managed partner's users by email (one row past the page). */
export async function listPartnerUsers(
  em: EntityManager,
  principal: Principal,
  partnerId: string | null | undefined,
  page: Page,
): Promise<Result<IPartnerUser[]>> {
  const partner = await managedPartner(em, principal, partnerId);
  if (!partner) return fail('NOT_FOUND', 'No such partner', ['partnerId']);
  return ok(
    await em.find(
      PartnerUser,
      { $and: [{ partner }, keysetWhere(BY_EMAIL, page)] },
      { orderBy: keysetOrderBy(BY_EMAIL, page) as never, limit: page.limit + 1, populate: ['partner'] },
    ),
  );
}

export type PartnerUserCreateInput = {
  partnerId?: string | null;
  email: string;
  name: string;
  password?: string | null;
  admin?: boolean | null;
};
export type CreatedPartnerUser = { partnerUser: IPartnerUser; oneTimePassword: string | null };

/** A new user of the partner. Their first password, given or generated, must be changed at first sign-in. */
export async function partnerUserCreate(
  em: EntityManager,
  principal: Principal,
  input: PartnerUserCreateInput,
): Promise<Result<CreatedPartnerUser>> {
  const partner = await managedPartner(em, principal, input.partnerId);
  if (!partner) return fail('NOT_FOUND', 'No such partner', ['input', 'partnerId']);
  const checks = new Checks<ErrorCode>();
  checks.email(input.email, ['input', 'email']);
  checks.text(input.name, ['input', 'name'], 120);
  const problem = input.password == null ? null : passwordProblem(input.password);
  if (problem) checks.add('WEAK_PASSWORD', problem, ['input', 'password']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const generated = input.password == null ? oneTimePassword() : null;
  const passwordHash = await hashPassword(input.password ?? (generated as string));
  try {
    const user = em.create(PartnerUser, {
      partner,
      email: normaliseEmail(input.email),
      name: input.name.trim(),
      passwordHash,
      admin: input.admin ?? false,
      mustChangePassword: true,
    });
    await em.flush();
    return ok({ partnerUser: user, oneTimePassword: generated });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return fail('TAKEN', 'A partner user has this email', ['input', 'email']);
    throw error;
  }
}

/** The user can no longer sign in, and their sessions end now. Nobody deactivates themselves. */
export async function partnerUserDeactivate(
  em: EntityManager,
  services: CustomerServices,
  principal: Principal,
  id: string,
): Promise<Result<IPartnerUser>> {
  if (principal.kind === 'partner' && id === principal.id) return fail('FORBIDDEN', 'You cannot deactivate yourself', ['input', 'id']);
  if (!new Checks<ErrorCode>().uuid(id, [])) return fail('NOT_FOUND', 'No such partner user', ['input', 'id']);
  const user = await em.findOne(PartnerUser, { id }, { populate: ['partner'] });
  const partner = user ? await managedPartner(em, principal, user.partner.id) : null;
  if (!user || !partner) return fail('NOT_FOUND', 'No such partner user', ['input', 'id']);
  user.active = false;
  await em.flush();
  await revokeSubjectSessions(em, services, 'partner', user.id);
  return ok(user);
}
