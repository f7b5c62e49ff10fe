import {
  apiError,
  fail,
  hashPassword,
  isEmail,
  newId,
  normaliseEmail,
  ok,
  type Principal,
  passwordProblem,
  randomToken,
  SESSION_REVOKED,
  sha256Hex,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Result } from '../customer.errors.js';
import type { CustomerServices } from '../services.js';
import { sendNotifications } from './send.js';

export const RESET_TEMPLATE = 'customer.passwordReset';
export const RESET_TTL_MINUTES = 30;

const needsStorefront = () => apiError('UNAUTHENTICATED', 'Customers reset their password with their storefront key (x-api-key)');

/**
 * A shopper asks for a reset code. The answer is the same whether or not the email has an account;
 * requests count against the sign-in guard (per email and address), so they are throttled like
 * password guesses. For an ACTIVE account: one random code (stored as its SHA-256, valid 30 minutes,
 * earlier codes of the account stop working) sent by email through the notification service, recorded
 * in the history with the code redacted.
 */
export async function passwordResetRequest(
  em: EntityManager,
  services: CustomerServices,
  caller: Principal,
  input: { email: string },
): Promise<Result<true>> {
  const storefrontId = caller.storefrontId;
  if (!storefrontId) throw needsStorefront();
  const email = normaliseEmail(input.email);
  if (!isEmail(email)) return fail('INVALID', 'Not a valid email address', ['input', 'email']);
  const attempt = { identity: `reset:${storefrontId}:${email}`, address: caller.clientIp };
  const admission = await services.signInGuard.admit(attempt);
  if (!admission.ok)
    throw apiError('THROTTLED', `Too many requests; try again in ${admission.retryAfter} s`, { retryAfter: admission.retryAfter });
  await services.signInGuard.failed(attempt);
  const [account] = (await em.execute(
    `select id, name from "customer"."customer" where storefront_id = ? and email = ? and status = 'ACTIVE'`,
    [storefrontId, email],
  )) as { id: string; name: string }[];
  if (!account) return ok(true);
  const token = randomToken('pr', 24);
  const now = new Date();
  await em.transactional(async (tx) => {
    await tx.execute('update "customer"."password_reset_token" set used_at = ? where customer_id = ? and used_at is null', [
      now,
      account.id,
    ]);
    await tx.execute(
      `insert into "customer"."password_reset_token" (id, customer_id, hash, expires_at, created_at) values (?, ?, ?, ?, ?)`,
      [newId(), account.id, sha256Hex(token), new Date(now.getTime() + RESET_TTL_MINUTES * 60_000), now],
    );
  });
  await sendNotifications(em, services.notificationAdapters, storefrontId, [
    {
      customerId: account.id,
      templateKey: RESET_TEMPLATE,
      variables: { name: account.name, token, minutes: String(RESET_TTL_MINUTES) },
      channels: ['EMAIL'],
      marketing: false,
      redact: ['token'],
    },
  ]);
  return ok(true);
}

/**
 * A new password with a reset code: the code works once, within its time, on the storefront of the
 * account; the password follows the sign-up policy; every session of the account is revoked (routers
 * drop its access tokens).
 */
export async function passwordReset(
  em: EntityManager,
  services: CustomerServices,
  caller: Principal,
  input: { token: string; password: string },
): Promise<Result<true>> {
  if (!caller.storefrontId) throw needsStorefront();
  const problem = passwordProblem(input.password);
  if (problem) return fail('WEAK_PASSWORD', problem, ['input', 'password']);
  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  const families = await em.transactional(async (tx) => {
    const [row] = (await tx.execute(
      `select t.id, t.customer_id from "customer"."password_reset_token" t join "customer"."customer" c on c.id = t.customer_id
       where t.hash = ? and t.used_at is null and t.expires_at > ? and c.storefront_id = ? and c.status = 'ACTIVE' for update of t`,
      [sha256Hex(input.token), now, caller.storefrontId],
    )) as { id: string; customer_id: string }[];
    if (!row) return null;
    await tx.execute('update "customer"."password_reset_token" set used_at = ? where id = ?', [now, row.id]);
    await tx.execute('update "customer"."customer" set password_hash = ?, updated_at = ?, version = version + 1 where id = ?', [
      passwordHash,
      now,
      row.customer_id,
    ]);
    const revoked = (await tx.execute(
      `update "customer"."refresh_token" set revoked_at = ? where subject_kind = 'customer' and subject_id = ? and revoked_at is null
       returning family_id`,
      [now, row.customer_id],
    )) as { family_id: string }[];
    return [...new Set(revoked.map((r) => r.family_id))];
  });
  if (!families) return fail('INVALID_TOKEN', 'The code is invalid, expired or already used; ask for a new one', ['input', 'token']);
  for (const sessionId of families) await services.bus.publish(SESSION_REVOKED, { sessionId });
  return ok(true);
}
