import { fail, normaliseEmail, ok, requestPrincipal } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessGroup, type IStaff, Staff, StaffIdentity } from '../entities/index.js';
import type { Result } from './customer.errors.js';
import type { CustomerServices } from './services.js';
import { issueTokens, principalFor, type Tokens } from './sessions.js';
import { syncedGroups } from './sso-groups.js';

/** What the router verified of an OpenID Connect sign-in (ID token, and userinfo when the token lacks the email). */
export type SsoSignInInput = { issuer: string; subject: string; email?: string | null; emailVerified: boolean; groups?: string[] | null };

const unknownStaff = () =>
  fail(
    'UNKNOWN_STAFF',
    'No staff member signs in with this account; an administrator must add you first, with the email your identity provider confirms',
  );

/**
 * The staff member an SSO sign-in names: by the (issuer, subject) link, or — at the first sign-in —
 * by the verified email, when the member has no other account at that provider (an email that moved
 * to someone else at the provider must not take over the member's link).
 */
async function findMember(em: EntityManager, input: SsoSignInInput): Promise<Result<{ staff: IStaff; linked: boolean }>> {
  const link = await em.findOne(StaffIdentity, { issuer: input.issuer, subject: input.subject }, { populate: ['staff'] });
  if (link) return ok({ staff: link.staff as IStaff, linked: true });
  if (!input.email || !input.emailVerified) return unknownStaff();
  const staff = await em.findOne(Staff, { email: normaliseEmail(input.email) });
  if (!staff) return unknownStaff();
  if ((await em.count(StaffIdentity, { staff, issuer: input.issuer })) > 0)
    return fail('IDENTITY_CONFLICT', 'This staff member signs in with another account of this identity provider');
  return ok({ staff, linked: false });
}

/**
 * Staff single sign-on, called by the router only: the same session and tokens as `staffLogin`, for
 * an ACTIVE member. Records the link on first sign-in and brings the access groups the provider
 * manages (`DCRM_SSO_GROUP_MAP`) in line with the provider's groups; for anyone else, changes nothing.
 */
export async function staffSsoSignIn(em: EntityManager, services: CustomerServices, input: SsoSignInInput): Promise<Result<Tokens>> {
  if (!input.issuer.trim() || !input.subject.trim()) return fail('INVALID', 'Issuer and subject are required', ['input']);
  const found = await findMember(em, input);
  if (!found.ok) return found;
  const { staff, linked } = found.value;
  const before = staff.active ? await principalFor(em, 'staff', staff.id) : null;
  if (!before) return fail('ACCOUNT_INACTIVE', 'This staff account is disabled');
  // The writes are the member's own, within the member's brands (kit's brand guard judges them so).
  requestPrincipal.bind(before);
  const recorded = await recordSignIn(em, services, input, staff.id, linked).then(
    () => true,
    (error: unknown) => {
      // Two first sign-ins of one account at once (two tabs): the other one made the link.
      if (error instanceof UniqueConstraintViolationException) return false;
      throw error;
    },
  );
  if (!recorded) return fail('CONFLICT', 'Another sign-in of this account was under way; sign in again');
  const principal = await principalFor(em.fork(), 'staff', staff.id);
  if (!principal) return fail('ACCOUNT_INACTIVE', 'This staff account is disabled');
  return ok(await issueTokens(em, services, principal));
}

/** The link (made, or its last sign-in noted) and the access groups the provider manages, in one transaction. */
function recordSignIn(em: EntityManager, services: CustomerServices, input: SsoSignInInput, staffId: string, linked: boolean) {
  return em.transactional(async (tx) => {
    const now = new Date();
    if (linked) await tx.nativeUpdate(StaffIdentity, { issuer: input.issuer, subject: input.subject }, { lastSignInAt: now });
    else
      tx.create(StaffIdentity, {
        staff: staffId,
        issuer: input.issuer,
        subject: input.subject,
        email: normaliseEmail(input.email as string),
        lastSignInAt: now,
      });
    if (services.ssoGroupMap.size > 0) {
      const member = await tx.findOneOrFail(Staff, { id: staffId }, { populate: ['accessGroups'] });
      const current = member.accessGroups.getItems().map((g) => g.name);
      const wanted = syncedGroups(services.ssoGroupMap, current, input.groups ?? []);
      member.accessGroups.set(await tx.find(AccessGroup, { name: { $in: wanted } }));
    }
  });
}
