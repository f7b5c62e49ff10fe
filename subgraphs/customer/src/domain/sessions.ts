import { fail, mayActOn, newId, ok, type Principal, randomToken, SESSION_REVOKED, sha256Hex, signAccessToken } from '@dcrm/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, PartnerUser, RefreshToken, Staff } from '../entities/index.js';
import type { Result } from './customer.errors.js';
import { staffGrants } from './grants.js';
import { ACCOUNT_ADMIN } from './scope.js';
import type { CustomerServices } from './services.js';
import { partnerSignInRefusal, staffSignInRefusal } from './staff-password.js';

export type SubjectKind = 'customer' | 'staff' | 'partner';
export type Tokens = { accessToken: string; accessTokenExpiresAt: Date; refreshToken: string; subject: { kind: SubjectKind; id: string } };

const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;
export const PARTNER_USER_SCOPES = ['customer:read', 'interaction:write', 'apikey:manage'];
/** A partner admin also manages the partner's own users. */
export const PARTNER_ADMIN_SCOPES = [...PARTNER_USER_SCOPES, 'partner:manage'];

/** The principal a subject's tokens carry, rebuilt from the database at every issue (roles can change). */
export async function principalFor(em: EntityManager, kind: SubjectKind, id: string): Promise<Principal | null> {
  if (kind === 'customer') {
    const c = await em.findOne(Customer, { id, status: 'ACTIVE' });
    if (!c) return null;
    const roles = [`segment:${c.segment}`, ...(c.type === 'BUSINESS' ? [ACCOUNT_ADMIN] : [])];
    return { kind, id, storefrontId: c.storefrontId, partnerId: null, roles, scopes: [] };
  }
  if (kind === 'staff') {
    const s = await em.findOne(Staff, { id, active: true }, { populate: ['accessGroups'] });
    if (!s) return null;
    // Effective scopes: the union of the member's access groups'.
    const grants = staffGrants(s);
    const roles = ['staff', ...grants.segments.map((x) => `segment:${x}`)];
    return { kind, id, storefrontId: s.storefrontId, storefronts: grants.brands, partnerId: null, roles, scopes: grants.scopes };
  }
  const u = await em.findOne(PartnerUser, { id, active: true }, { populate: ['partner'] });
  if (!u) return null;
  const storefrontId = u.partner.storefrontId;
  // A partner acts on its partner's storefront only.
  return {
    kind,
    id,
    storefrontId,
    storefronts: [storefrontId],
    partnerId: u.partner.id,
    roles: ['partner-user'],
    scopes: u.admin ? PARTNER_ADMIN_SCOPES : PARTNER_USER_SCOPES,
  };
}

/** A short-lived access JWT and a single-use refresh token (stored hashed) in session `familyId`. */
export async function issueTokens(
  em: EntityManager,
  services: CustomerServices,
  principal: Principal,
  familyId = newId(),
): Promise<Tokens> {
  const refreshToken = randomToken('rt', 32);
  const kind = principal.kind as SubjectKind;
  em.create(RefreshToken, {
    familyId,
    subjectKind: kind,
    subjectId: principal.id as string,
    hash: sha256Hex(refreshToken),
    expiresAt: new Date(Date.now() + REFRESH_TTL_MS),
  });
  await em.flush();
  const access = await signAccessToken(principal, services.jwtSecret, familyId);
  return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, subject: { kind, id: principal.id as string } };
}

const invalid = () =>
  fail('INVALID_TOKEN', 'The refresh token is invalid, expired or already used; sign in again', ['input', 'refreshToken']);

/**
 * A session renews only where it may act: a customer's on the storefront they belong to (the key the
 * caller came with), staff and partner users' on a storefront within their brands when a key is sent.
 */
function mayRenewAt(subject: Principal, caller: Principal): boolean {
  if (subject.kind === 'customer') return !!caller.storefrontId && caller.storefrontId === subject.storefrontId;
  return !caller.storefrontId || mayActOn(subject, caller.storefrontId);
}

/**
 * Rotation: each refresh token works once. Presenting a used one means it leaked, so the whole
 * session is revoked and both holders must sign in again. A token presented on a storefront its
 * subject may not act on is refused and stays unused.
 */
export async function renewTokens(
  em: EntityManager,
  services: CustomerServices,
  refreshToken: string,
  caller: Principal,
): Promise<Result<Tokens>> {
  const now = new Date();
  const outcome = await em.transactional(async (tx) => {
    const token = await tx.findOne(RefreshToken, { hash: sha256Hex(refreshToken) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!token || token.revokedAt || token.expiresAt < now) return { kind: 'invalid' as const };
    if (token.usedAt) {
      await tx.nativeUpdate(RefreshToken, { familyId: token.familyId, revokedAt: null }, { revokedAt: now });
      return { kind: 'reused' as const, familyId: token.familyId };
    }
    const principal = await principalFor(tx, token.subjectKind, token.subjectId);
    if (!principal || !mayRenewAt(principal, caller)) return { kind: 'invalid' as const };
    // Staff and partner users renew under the same password rules as their sign-in; the token stays unused.
    const field = ['input', 'refreshToken'];
    const refusal =
      token.subjectKind === 'staff'
        ? staffSignInRefusal(await tx.findOneOrFail(Staff, { id: token.subjectId }), services.staffPasswordMaxAgeDays, field, now.getTime())
        : token.subjectKind === 'partner'
          ? partnerSignInRefusal(await tx.findOneOrFail(PartnerUser, { id: token.subjectId }), field)
          : null;
    if (refusal) return { kind: 'refused' as const, refusal };
    token.usedAt = now;
    return { kind: 'ok' as const, familyId: token.familyId, principal };
  });
  if (outcome.kind === 'reused') {
    await services.bus.publish(SESSION_REVOKED, { sessionId: outcome.familyId });
    return invalid();
  }
  if (outcome.kind === 'invalid') return invalid();
  if (outcome.kind === 'refused') return outcome.refusal;
  return ok(await issueTokens(em, services, outcome.principal, outcome.familyId));
}

/** Logout: every refresh token of the session stops working, and routers drop its access tokens. */
export async function revokeSession(em: EntityManager, services: CustomerServices, refreshToken: string): Promise<Result<true>> {
  const token = await em.findOne(RefreshToken, { hash: sha256Hex(refreshToken) });
  if (!token) return fail('INVALID_TOKEN', 'Unknown refresh token', ['input', 'refreshToken']);
  await em.nativeUpdate(RefreshToken, { familyId: token.familyId, revokedAt: null }, { revokedAt: new Date() });
  await services.bus.publish(SESSION_REVOKED, { sessionId: token.familyId });
  return ok(true);
}

/**
 * Ends every session of one subject (deactivation, a password change): its refresh tokens stop
 * working and routers drop the sessions' access tokens. Call after the change has committed.
 */
export async function revokeSubjectSessions(em: EntityManager, services: CustomerServices, kind: SubjectKind, id: string): Promise<void> {
  const now = new Date();
  const where = { subjectKind: kind, subjectId: id, revokedAt: null, expiresAt: { $gt: now } };
  const families = [...new Set((await em.find(RefreshToken, where, { fields: ['familyId'] })).map((t) => t.familyId))];
  await em.nativeUpdate(RefreshToken, { subjectKind: kind, subjectId: id, revokedAt: null }, { revokedAt: now });
  for (const sessionId of families) await services.bus.publish(SESSION_REVOKED, { sessionId });
}
