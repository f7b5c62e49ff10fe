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
  type Result,
  verifyPassword,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, PartnerUser, Staff } from '../entities/index.js';
import type { CustomerServices } from './services.js';
import { issueTokens, principalFor, type SubjectKind, type Tokens } from './sessions.js';

export type LoginInput = { email: string; password: string };

const WINDOW_SECONDS = 15 * 60;
const PER_IDENTITY = 5;
const PER_IP = 30;

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
    const expired = s.passwordChangedAt.getTime() + maxAgeDays * 86_400_000 < Date.now();
    const refusal = !s.active
      ? fail<Tokens>('ACCOUNT_INACTIVE', 'This staff account is disabled')
      : expired
        ? fail<Tokens>('PASSWORD_EXPIRED', `Passwords expire after ${maxAgeDays} days; set a new one with staffPasswordChange`, [
            'input',
            'password',
          ])
        : undefined;
    return { id: s.id, passwordHash: s.passwordHash, refusal };
  }
  const u = await em.findOne(PartnerUser, { email });
  return u ? { id: u.id, passwordHash: u.passwordHash } : null;
}

/** Refused while an identity or an address has failed too often recently. */
async function throttled(services: CustomerServices, keys: [string, number][]): Promise<void> {
  for (const [key, limit] of keys) {
    const wait = await services.throttle.retryAfter(key, limit);
    if (wait > 0) throw apiError('THROTTLED', `Too many failed sign-ins; try again in ${wait} s`, { retryAfter: wait });
  }
}

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
  const email = normaliseEmail(input.email);
  const identityKey = `login:${kind}:${caller.storefrontId ?? '-'}:${email}`;
  const ipKey = `login-ip:${caller.clientIp ?? 'unknown'}`;
  await throttled(services, [
    [identityKey, PER_IDENTITY],
    [ipKey, PER_IP],
  ]);
  if (kind === 'customer' && !caller.storefrontId)
    throw apiError('UNAUTHENTICATED', 'Customers sign in with their storefront key (x-api-key)');

  const subject = await findSubject(em, kind, email, caller.storefrontId, services.staffPasswordMaxAgeDays);
  const matches = await verifyPassword(input.password, subject?.passwordHash ?? (await decoyHash()));
  if (!subject?.passwordHash || !matches) {
    await services.throttle.fail(identityKey, WINDOW_SECONDS);
    await services.throttle.fail(ipKey, WINDOW_SECONDS);
    return fail('INVALID_CREDENTIALS', 'Email or password is incorrect', ['input']);
  }
  await services.throttle.reset(identityKey);
  if (subject.refusal) return subject.refusal;
  const principal = await principalFor(em, kind, subject.id);
  if (!principal) return fail('ACCOUNT_INACTIVE', 'This account cannot sign in');
  return ok(await issueTokens(em, services, principal));
}

export type PasswordChangeInput = { email: string; currentPassword: string; newPassword: string };

/** Staff set a new password with the current one (which may have expired). */
export async function staffPasswordChange(
  em: EntityManager,
  services: CustomerServices,
  input: PasswordChangeInput,
  caller: Principal,
): Promise<Result<true>> {
  const email = normaliseEmail(input.email);
  const identityKey = `login:staff:-:${email}`;
  await throttled(services, [[identityKey, PER_IDENTITY]]);
  const checks = new Checks();
  const problem = passwordProblem(input.newPassword);
  if (problem) checks.add('WEAK_PASSWORD', problem, ['input', 'newPassword']);
  if (input.newPassword === input.currentPassword) checks.add('UNCHANGED', 'Choose a different password', ['input', 'newPassword']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const staff = await em.findOne(Staff, { email, active: true });
  const matches = await verifyPassword(input.currentPassword, staff?.passwordHash ?? (await decoyHash()));
  if (!staff || !matches || (caller.kind === 'staff' && caller.id !== staff.id)) {
    await services.throttle.fail(identityKey, WINDOW_SECONDS);
    return fail('INVALID_CREDENTIALS', 'Email or password is incorrect', ['input']);
  }
  staff.passwordHash = await hashPassword(input.newPassword);
  staff.passwordChangedAt = new Date();
  await em.flush();
  return ok(true);
}
