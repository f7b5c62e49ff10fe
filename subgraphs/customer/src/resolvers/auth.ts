import type { Resolvers, Result, UserError } from '@dcrm/kit';
import { type LoginInput, login, type PasswordChangeInput, staffPasswordChange } from '../domain/login.js';
import { customerRegister, type RegisterInput } from '../domain/register.js';
import { renewTokens, revokeSession, type Tokens } from '../domain/sessions.js';
import { Customer, Partner, PartnerUser, Staff } from '../entities/index.js';
import type { CustomerContext } from './context.js';

const empty = { accessToken: null, accessTokenExpiresAt: null, refreshToken: null, customer: null, staff: null, partner: null };

/** Tokens plus who they are for; the subject is loaded directly (the caller is not signed in yet). */
async function authPayload(ctx: CustomerContext, result: Result<Tokens>) {
  if (!result.ok) return { ...empty, userErrors: result.errors };
  const { subject, accessToken, accessTokenExpiresAt, refreshToken } = result.value;
  const base = { ...empty, accessToken, accessTokenExpiresAt, refreshToken, userErrors: [] as UserError[] };
  if (subject.kind === 'customer') return { ...base, customer: await ctx.em.findOne(Customer, { id: subject.id }) };
  if (subject.kind === 'staff') return { ...base, staff: await ctx.em.findOne(Staff, { id: subject.id }) };
  const user = await ctx.em.findOne(PartnerUser, { id: subject.id }, { populate: ['partner'] });
  return { ...base, partner: user ? await ctx.em.findOne(Partner, { id: user.partner.id }) : null };
}

const done = (result: Result<true>) => ({ ok: result.ok, userErrors: result.ok ? [] : result.errors });

export const authResolvers: Resolvers = {
  Mutation: {
    customerRegister: async (_: unknown, { input }: { input: RegisterInput }, ctx: CustomerContext) =>
      authPayload(ctx, await customerRegister(ctx.em, ctx.services, input, ctx.principal)),
    customerLogin: async (_: unknown, { input }: { input: LoginInput }, ctx: CustomerContext) =>
      authPayload(ctx, await login(ctx.em, ctx.services, 'customer', input, ctx.principal)),
    staffLogin: async (_: unknown, { input }: { input: LoginInput }, ctx: CustomerContext) =>
      authPayload(ctx, await login(ctx.em, ctx.services, 'staff', input, ctx.principal)),
    partnerLogin: async (_: unknown, { input }: { input: LoginInput }, ctx: CustomerContext) =>
      authPayload(ctx, await login(ctx.em, ctx.services, 'partner', input, ctx.principal)),
    customerAccessTokenRenew: async (_: unknown, { input }: { input: { refreshToken: string } }, ctx: CustomerContext) =>
      authPayload(ctx, await renewTokens(ctx.em, ctx.services, input.refreshToken, ctx.principal)),
    customerLogout: async (_: unknown, { input }: { input: { refreshToken: string } }, ctx: CustomerContext) =>
      done(await revokeSession(ctx.em, ctx.services, input.refreshToken)),
    staffPasswordChange: async (_: unknown, { input }: { input: PasswordChangeInput }, ctx: CustomerContext) =>
      done(await staffPasswordChange(ctx.em, ctx.services, input, ctx.principal)),
  },
};
