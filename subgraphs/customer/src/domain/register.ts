import { apiError, Checks, hashPassword, normaliseEmail, ok, type Principal, passwordProblem } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Channel, Customer } from '../entities/index.js';
import type { ErrorCode, Result } from './customer.errors.js';
import type { CustomerServices } from './services.js';
import { issueTokens, principalFor, type Tokens } from './sessions.js';

export type RegisterInput = {
  type?: 'INDIVIDUAL' | 'BUSINESS' | null;
  name: string;
  email: string;
  mobile?: string | null;
  password: string;
  marketingChannels?: Channel[] | null;
};

/** A new account in the caller's storefront, signed in at once. Duplicates (email or mobile) are TAKEN. */
export async function customerRegister(
  em: EntityManager,
  services: CustomerServices,
  input: RegisterInput,
  caller: Principal,
): Promise<Result<Tokens>> {
  const storefrontId = caller.storefrontId;
  if (!storefrontId) throw apiError('UNAUTHENTICATED', 'Register through a storefront key (x-api-key)');
  const email = normaliseEmail(input.email);
  const checks = new Checks<ErrorCode>();
  checks.text(input.name, ['input', 'name'], 200);
  checks.email(email, ['input', 'email']);
  checks.mobile(input.mobile, ['input', 'mobile']);
  const problem = passwordProblem(input.password);
  if (problem) checks.add('WEAK_PASSWORD', problem, ['input', 'password']);
  if (checks.ok && (await em.count(Customer, { storefrontId, email })))
    checks.add('TAKEN', 'An account with this email exists', ['input', 'email']);
  if (checks.ok && input.mobile && (await em.count(Customer, { storefrontId, mobile: input.mobile }))) {
    checks.add('TAKEN', 'An account with this mobile number exists', ['input', 'mobile']);
  }
  if (!checks.ok) return { ok: false, errors: checks.errors };

  const type = input.type ?? 'INDIVIDUAL';
  const now = new Date().toISOString();
  try {
    const customer = em.create(Customer, {
      storefrontId,
      type,
      name: input.name.trim(),
      email,
      mobile: input.mobile ?? null,
      passwordHash: await hashPassword(input.password),
      category: type === 'BUSINESS' ? 'SME' : 'CONSUMER',
      segment: type === 'BUSINESS' ? 'smb' : 'consumer',
      lifecycleStage: 'ONBOARDING',
      consents: [...new Set(input.marketingChannels ?? [])].map((channel) => ({ channel, granted: true, updatedAt: now })),
      notificationPreferences: [],
      // The language the shopper signed up in (the router's request context): their notifications' language.
      locale: caller.locale ?? null,
    });
    await em.flush();
    const principal = await principalFor(em, 'customer', customer.id);
    return ok(await issueTokens(em, services, principal as Principal));
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      return { ok: false, errors: [{ code: 'TAKEN', message: 'An account with this email or mobile exists', field: ['input', 'email'] }] };
    }
    throw error;
  }
}
