import { Checks, fail, normaliseEmail, ok, type Principal } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Address, Contact, Customer, type ICustomer, NpsSurvey } from '../entities/index.js';
import type { CustomerLoaders } from '../loaders.js';
import type { ErrorCode, Result } from './customer.errors.js';
import { targetAccount } from './profile.js';
import { ACCOUNT_ADMIN } from './scope.js';

type Ctx = { em: EntityManager; principal: Principal; loaders: CustomerLoaders };
const MAX_ITEMS = 20;

export type AddressInput = {
  customerId?: string | null;
  type: 'BILLING' | 'SERVICE' | 'SHIPPING';
  line1: string;
  line2?: string | null;
  city: string;
  postcode: string;
  country: string;
  default?: boolean | null;
};

export async function addressAdd(ctx: Ctx, input: AddressInput): Promise<Result<ICustomer>> {
  const found = await targetAccount(ctx, input.customerId, ['input', 'customerId']);
  if (!found.ok) return found;
  const checks = new Checks<ErrorCode>();
  checks.text(input.line1, ['input', 'line1'], 200);
  checks.text(input.line2, ['input', 'line2'], 200, false);
  checks.text(input.city, ['input', 'city'], 100);
  checks.text(input.postcode, ['input', 'postcode'], 20);
  if (!/^[A-Z]{2}$/.test(input.country)) checks.add('INVALID', 'Use an ISO 3166-1 alpha-2 code, e.g. IE', ['input', 'country']);
  if ((await ctx.em.count(Address, { customer: found.value.id })) >= MAX_ITEMS)
    checks.add('TOO_MANY', `At most ${MAX_ITEMS} addresses`, ['input']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  await ctx.em.transactional(async (tx) => {
    // One default per address type.
    if (input.default) await tx.nativeUpdate(Address, { customer: found.value.id, type: input.type }, { isDefault: false });
    tx.create(Address, {
      customer: found.value.id,
      type: input.type,
      line1: input.line1.trim(),
      line2: input.line2?.trim() || null,
      city: input.city.trim(),
      postcode: input.postcode.trim(),
      country: input.country,
      isDefault: input.default ?? false,
    });
  });
  return ok(found.value);
}

export type ContactInput = {
  customerId?: string | null;
  name: string;
  email?: string | null;
  phone?: string | null;
  role?: string | null;
  primary?: boolean | null;
};

export async function contactAdd(ctx: Ctx, input: ContactInput): Promise<Result<ICustomer>> {
  const found = await targetAccount(ctx, input.customerId, ['input', 'customerId']);
  if (!found.ok) return found;
  const checks = new Checks<ErrorCode>();
  checks.text(input.name, ['input', 'name'], 200);
  checks.email(input.email, ['input', 'email']);
  checks.mobile(input.phone, ['input', 'phone']);
  checks.text(input.role, ['input', 'role'], 80, false);
  if ((await ctx.em.count(Contact, { customer: found.value.id })) >= MAX_ITEMS)
    checks.add('TOO_MANY', `At most ${MAX_ITEMS} contacts`, ['input']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  await ctx.em.transactional(async (tx) => {
    if (input.primary) await tx.nativeUpdate(Contact, { customer: found.value.id }, { isPrimary: false });
    tx.create(Contact, {
      customer: found.value.id,
      name: input.name.trim(),
      email: input.email ? normaliseEmail(input.email) : null,
      phone: input.phone ?? null,
      role: input.role?.trim() || null,
      isPrimary: input.primary ?? false,
    });
  });
  return ok(found.value);
}

/** Removes an address or contact of an account the caller may change; another account's item is NOT_FOUND. */
export async function itemRemove(
  ctx: Ctx,
  kind: 'address' | 'contact',
  input: { customerId?: string | null; id: string },
): Promise<Result<ICustomer>> {
  const found = await targetAccount(ctx, input.customerId, ['input', 'customerId']);
  if (!found.ok) return found;
  const checks = new Checks<ErrorCode>();
  if (!checks.uuid(input.id, ['input', 'id'])) return { ok: false, errors: checks.errors };
  const where = { id: input.id, customer: found.value.id };
  const removed = kind === 'address' ? await ctx.em.nativeDelete(Address, where) : await ctx.em.nativeDelete(Contact, where);
  return removed ? ok(found.value) : fail('NOT_FOUND', `No such ${kind} on this account`, ['input', 'id']);
}

export type ChildInput = { parentId: string; name: string; email: string; mobile?: string | null };

/** A sub-account under a BUSINESS account: by its holder (its own tree) or by staff who can see the parent. */
export async function childCreate(ctx: Ctx, input: ChildInput): Promise<Result<ICustomer>> {
  const found = await targetAccount(ctx, input.parentId, ['input', 'parentId']);
  if (!found.ok) return found;
  const parent = found.value;
  if (parent.type !== 'BUSINESS') return fail('INVALID', 'Only business accounts have sub-accounts', ['input', 'parentId']);
  if (ctx.principal.kind === 'customer' && !ctx.principal.roles.includes(ACCOUNT_ADMIN))
    return fail('FORBIDDEN', 'Only the account holder opens sub-accounts', ['input']);
  const email = normaliseEmail(input.email);
  const checks = new Checks<ErrorCode>();
  checks.text(input.name, ['input', 'name'], 200);
  checks.email(email, ['input', 'email']);
  checks.mobile(input.mobile, ['input', 'mobile']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  try {
    const child = ctx.em.create(Customer, {
      storefrontId: parent.storefrontId,
      type: 'BUSINESS',
      name: input.name.trim(),
      email,
      mobile: input.mobile ?? null,
      category: parent.category,
      segment: parent.segment,
      lifecycleStage: 'ONBOARDING',
      partner: parent.partner ?? null,
      parent,
      consents: [],
      notificationPreferences: [],
    });
    await ctx.em.flush();
    return ok(child);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException)
      return fail('TAKEN', 'An account with this email or mobile exists', ['input', 'email']);
    throw error;
  }
}

export async function npsSurveyCreate(em: EntityManager, principal: Principal, input: { name: string; question: string }) {
  const checks = new Checks<ErrorCode>();
  checks.text(input.name, ['input', 'name'], 120);
  checks.text(input.question, ['input', 'question'], 250);
  if (!checks.ok) return { ok: false as const, errors: checks.errors };
  const storefrontId = principal.storefrontId as string;
  const survey = await em.transactional(async (tx) => {
    await tx.nativeUpdate(NpsSurvey, { storefrontId, active: true }, { active: false });
    return tx.create(NpsSurvey, { storefrontId, name: input.name.trim(), question: input.question.trim(), active: true });
  });
  return ok(survey);
}
