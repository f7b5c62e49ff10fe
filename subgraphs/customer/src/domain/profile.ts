import { Checks, canonicalLocale, fail, hasScope, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Channel, type ICustomer, SiteMessage } from '../entities/index.js';
import type { CustomerLoaders } from '../loaders.js';
import type { ErrorCode, Result } from './customer.errors.js';

type Ctx = { em: EntityManager; principal: Principal; loaders: CustomerLoaders };

/** The account a mutation targets: the caller's own by default; it must be visible to the caller. */
export async function targetAccount(
  ctx: Ctx,
  id: string | null | undefined,
  field = ['input', 'id'],
  staffScope = 'customer:write',
): Promise<Result<ICustomer>> {
  // Staff act on accounts only with the scope for the change; holders and partners by who they are.
  if (ctx.principal.kind === 'staff' && !hasScope(ctx.principal, staffScope))
    return fail('FORBIDDEN', `Missing scope ${staffScope}`, field);
  const target = id ?? (ctx.principal.kind === 'customer' ? ctx.principal.id : null);
  const checks = new Checks<ErrorCode>();
  if (!target) return fail('REQUIRED', 'Which account?', field);
  if (!checks.uuid(target, field)) return { ok: false, errors: checks.errors };
  const customer = await ctx.loaders.customer.load(target);
  return customer ? ok(customer) : fail('NOT_FOUND', 'No such account', field);
}

export type CustomerUpdateInput = {
  id?: string | null;
  version: number;
  name?: string | null;
  mobile?: string | null;
  locale?: string | null;
  lifecycleStage?: ICustomer['lifecycleStage'] | null;
  status?: ICustomer['status'] | null;
};

export async function customerUpdate(ctx: Ctx, input: CustomerUpdateInput): Promise<Result<ICustomer>> {
  const found = await targetAccount(ctx, input.id);
  if (!found.ok) return found;
  const customer = found.value;
  const checks = new Checks<ErrorCode>();
  checks.text(input.name, ['input', 'name'], 200);
  checks.mobile(input.mobile, ['input', 'mobile']);
  const locale = input.locale ? canonicalLocale(input.locale) : null;
  if (input.locale && !locale) checks.add('INVALID', 'Use a BCP 47 locale such as fr or de-CH', ['input', 'locale']);
  // Account holders edit their details; lifecycle and status are the business's to set.
  if (ctx.principal.kind === 'customer' && (input.lifecycleStage || input.status))
    checks.add('FORBIDDEN', 'Only staff or the partner change this', ['input']);
  if (customer.version !== input.version)
    checks.add('CONFLICT', `The account changed since version ${input.version}; reload it`, ['input', 'version']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (input.name) customer.name = input.name.trim();
  if (input.mobile !== undefined) customer.mobile = input.mobile;
  if (input.locale != null) customer.locale = locale;
  if (input.lifecycleStage) customer.lifecycleStage = input.lifecycleStage;
  if (input.status) customer.status = input.status;
  try {
    await ctx.em.flush();
  } catch (error) {
    if ((error as Error).name === 'UniqueConstraintViolationException')
      return fail('TAKEN', 'This mobile number is in use', ['input', 'mobile']);
    if ((error as Error).name === 'OptimisticLockError')
      return fail('CONFLICT', 'The account changed meanwhile; reload it', ['input', 'version']);
    throw error;
  }
  return ok(customer);
}

export async function consentSet(
  ctx: Ctx,
  input: { customerId?: string | null; channel: Channel; granted: boolean },
): Promise<Result<ICustomer>> {
  const found = await targetAccount(ctx, input.customerId, ['input', 'customerId']);
  if (!found.ok) return found;
  const customer = found.value;
  customer.consents = [
    ...customer.consents.filter((c) => c.channel !== input.channel),
    { channel: input.channel, granted: input.granted, updatedAt: new Date().toISOString() },
  ];
  await ctx.em.flush();
  return ok(customer);
}

const NOTIFICATION_TYPE = /^[A-Z][A-Z_]{1,39}$/;

export async function notificationPreferenceSet(ctx: Ctx, input: { type: string; channels: Channel[] }): Promise<Result<ICustomer>> {
  if (!NOTIFICATION_TYPE.test(input.type)) return fail('INVALID', 'Types are UPPER_SNAKE_CASE, e.g. ORDER_UPDATES', ['input', 'type']);
  const found = await targetAccount(ctx, null);
  if (!found.ok) return found;
  const customer = found.value;
  const channels = [...new Set(input.channels)];
  customer.notificationPreferences = [
    ...customer.notificationPreferences.filter((p) => p.type !== input.type),
    { type: input.type, channels },
  ];
  await ctx.em.flush();
  return ok(customer);
}

/** Marks the caller's own messages read; ids of other accounts' messages are NOT_FOUND. */
export async function siteMessagesMarkRead(ctx: Ctx, ids: string[]): Promise<Result<ICustomer>> {
  const checks = new Checks<ErrorCode>();
  checks.uuids(ids, ['input', 'ids']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const found = await targetAccount(ctx, null);
  if (!found.ok) return found;
  const mine = await ctx.em.count(SiteMessage, { id: { $in: ids }, customer: found.value.id });
  if (mine !== ids.length) return fail('NOT_FOUND', 'No such message', ['input', 'ids']);
  await ctx.em.nativeUpdate(SiteMessage, { id: { $in: ids }, readAt: null }, { readAt: new Date() });
  return ok(found.value);
}

/** A message into an account's inbox, sent by another subgraph (visibility as the calling service). */
export async function siteMessageSend(ctx: Ctx, input: { customerId: string; title: string; body: string }) {
  const found = await targetAccount(ctx, input.customerId, ['input', 'customerId']);
  if (!found.ok) return found;
  const checks = new Checks<ErrorCode>();
  checks.text(input.title, ['input', 'title'], 200);
  checks.text(input.body, ['input', 'body'], 5000);
  if (!checks.ok) return { ok: false, errors: checks.errors } as Result<never>;
  const message = ctx.em.create(SiteMessage, { customer: found.value, title: input.title.trim(), body: input.body.trim() });
  await ctx.em.flush();
  return ok({ id: message.id, title: message.title, body: message.body, createdAt: message.createdAt, readAt: null });
}
