import {
  apiError,
  Checks,
  decoyHash,
  fail,
  hashPassword,
  normaliseEmail,
  ok,
  type Principal,
  passwordProblem,
  type SignInAttempt,
  verifyPassword,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, PartnerUser, Staff } from '../entities/index.js';
import type { ErrorCode, Result } from './customer.errors.js';
import type { CustomerServices } from './services.js';
import { issueTokens, principalFor, revokeSubjectSessions, type SubjectKind, type Tokens } from './sessions.js';
import { partnerSignInRefusal, staffSignInRefusal } from './staff-password.js';

export type LoginInput = { email: string; password: string };

type Subject = { id: string; passwordHash: string | null; refusal?: Result<Tokens> };

async function findSubject(
  em: EntityManager,
  kind: SubjectKind,
  email: string,
  storefrontId: string | null,
  maxAgeDays: number,
): Promise<Subject | null> {
  if (kind === 'customer') {
    const c = await em.findOne(Customer, { storefrontId: storefrontId ?? undefined, email }, { populate: ['passwordHash'] });
    if (!c) return null;
    return {
      id: c.id,
      passwordHash: c.passwordHash ?? null,
      refusal: c.status === 'ACTIVE' ? undefined : fail('ACCOUNT_INACTIVE', `This account is ${c.status.toLowerCase()}`),
    };
  }
  if (kind === 'staff') {
    const s = await em.findOne(Staff, { email });
    if (!s) return null;
    return { id: s.id, passwordHash: s.passwordHash, refusal: staffSignInRefusal(s, maxAgeDays, ['input', 'password']) ?? undefined };
  }
  const u = await em.findOne(PartnerUser, { email });
  return u ? { id: u.id, passwordHash: u.passwordHash, refusal: partnerSignInRefusal(u, ['input', 'password']) ?? undefined } : null;
}

const throttled = (retryAfter: number) => apiError('THROTTLED', `Too many failed sign-ins; try again in ${retryAfter} s`, { retryAfter });

/** The account a password guess is about: staff and partner emails are global, customers' per storefront. */
export const identityOf = (kind: SubjectKind, email: string, storefrontId: string | null) =>
  `${kind}:${kind === 'customer' ? storefrontId : '-'}:${email}`;

/**
 * One password check under the sign-in guard (`check` answers the subject when it matched, null when
 * not). Refused (THROTTLED) while this identity must wait at this address, or when the address is
 * over its ceiling and this identity already failed from it; over the ceiling a failure is refused
 * too, so a wrong password and an unknown email still answer alike.
 */
export async function guarded<T>(services: CustomerServices, attempt: SignInAttempt, check: () => Promise<T | null>): Promise<T | null> {
  const admission = await services.signInGuard.admit(attempt);
  if (!admission.ok) throw throttled(admission.retryAfter);
  const matched = await check();
  if (matched) {
    await services.signInGuard.succeeded(attempt);
    return matched;
  }
  await services.signInGuard.failed(attempt);
  if (admission.strict) throw throttled(admission.retryAfter);
  return null;
}

const wrongCredentials = () => fail('INVALID_CREDENTIALS', 'Email or password is incorrect', ['input']);

/**
 * Email + password → tokens. The same answer (and about the same time) whether the email is unknown
 * or the password wrong. A customer signs in to the storefront of the key they came with.
 */
export async function login(
  em: EntityManager,
  services: CustomerServices,
  kind: SubjectKind,
  input: LoginInput,
  caller: Principal,
): Promise<Result<Tokens>> {
  if (kind === 'customer' && !caller.storefrontId)
    throw apiError('UNAUTHENTICATED', 'Customers sign in with their storefront key (x-api-key)');
  const email = normaliseEmail(input.email);
  const attempt = { identity: identityOf(kind, email, caller.storefrontId), address: caller.clientIp };
  const subject = await guarded(services, attempt, async () => {
    const found = await findSubject(em, kind, email, caller.storefrontId, services.staffPasswordMaxAgeDays);
    const matches = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()));
    return found?.passwordHash && matches ? found : null;
  });
  if (!subject) return wrongCredentials();
  if (subject.refusal) return subject.refusal;
  const principal = await principalFor(em, kind, subject.id);
  if (!principal) return fail('ACCOUNT_INACTIVE', 'This account cannot sign in');
  return ok(await issueTokens(em, services, principal));
}

export type PasswordChangeInput = { email: string; currentPassword: string; newPassword: string };

/**
 * Staff and partner users set a new password with the current one (which may have expired, or been
 * set by someone else); every session of theirs ends. Guesses share the sign-in's budget.
 */
export async function accountPasswordChange(
  em: EntityManager,
  services: CustomerServices,
  kind: 'staff' | 'partner',
  input: PasswordChangeInput,
  caller: Principal,
): Promise<Result<true>> {
  const checks = new Checks<ErrorCode>();
  const problem = passwordProblem(input.newPassword);
  if (problem) checks.add('WEAK_PASSWORD', problem, ['input', 'newPassword']);
  if (input.newPassword === input.currentPassword) checks.add('UNCHANGED', 'Choose a different password', ['input', 'newPassword']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const email = normaliseEmail(input.email);
  // The same identity as the sign-in: guesses through either mutation share one budget.
  const attempt = { identity: identityOf(kind, email, null), address: caller.clientIp };
  const account = await guarded(services, attempt, async () => {
    const found =
      kind === 'staff' ? await em.findOne(Staff, { email, active: true }) : await em.findOne(PartnerUser, { email, active: true });
    const matches = await verifyPassword(input.currentPassword, found?.passwordHash ?? (await decoyHash()));
    return found && matches && !(caller.kind === kind && caller.id !== found.id) ? found : null;
  });
  if (!account) return wrongCredentials();
  account.passwordHash = await hashPassword(input.newPassword);
  account.mustChangePassword = false;
  if ('passwordChangedAt' in account) account.passwordChangedAt = new Date();
  await em.flush();
  // Whoever knew the old password is signed out everywhere.
  await revokeSubjectSessions(em, services, kind, account.id);
  return ok(true);
}
