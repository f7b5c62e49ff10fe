import { Checks, decoyHash, fail, hashPassword, ok, type Principal, passwordProblem, verifyPassword } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../entities/index.js';
import type { ErrorCode, Result } from './customer.errors.js';
import { guarded, identityOf } from './login.js';
import type { CustomerServices } from './services.js';
import { issueTokens, principalFor, revokeSubjectSessions, type Tokens } from './sessions.js';

export type CustomerPasswordChangeInput = { currentPassword: string; newPassword: string };

/**
 * A signed-in customer sets a new password with their current one (guesses share the sign-in
 * budget). Every session of theirs ends, this one included, and the answer carries a fresh session:
 * whoever else knew the old password is signed out, the caller is not.
 */
export async function customerPasswordChange(
  em: EntityManager,
  services: CustomerServices,
  caller: Principal,
  input: CustomerPasswordChangeInput,
): Promise<Result<Tokens>> {
  const checks = new Checks<ErrorCode>();
  const problem = passwordProblem(input.newPassword);
  if (problem) checks.add('WEAK_PASSWORD', problem, ['input', 'newPassword']);
  if (input.newPassword === input.currentPassword) checks.add('UNCHANGED', 'Choose a different password', ['input', 'newPassword']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const own = await em.findOne(
    Customer,
    { id: caller.id as string, storefrontId: caller.storefrontId ?? undefined, status: 'ACTIVE' },
    { populate: ['passwordHash'] },
  );
  if (!own) return fail('NOT_FOUND', 'No such account', ['input']);
  const attempt = { identity: identityOf('customer', own.email, own.storefrontId), address: caller.clientIp };
  const matched = await guarded(services, attempt, async () => {
    const matches = await verifyPassword(input.currentPassword, own.passwordHash ?? (await decoyHash()));
    return own.passwordHash && matches ? own : null;
  });
  if (!matched) return fail('INVALID_CREDENTIALS', 'The current password is incorrect', ['input', 'currentPassword']);
  own.passwordHash = await hashPassword(input.newPassword);
  await em.flush();
  await revokeSubjectSessions(em, services, 'customer', own.id);
  const principal = await principalFor(em, 'customer', own.id);
  if (!principal) return fail('ACCOUNT_INACTIVE', 'This account cannot sign in');
  return ok(await issueTokens(em, services, principal));
}
