import type { Resolvers, Result, UserError } from '@dcrm/kit';
import { type LoginInput, login, type PasswordChangeInput, staffPasswordChange } from '../domain/login.js';
import { customerRegister, type RegisterInput } from '../domain/register.js';
import { renewTokens, revokeSession, type Tokens } from '../domain/sessions.js';
import { subjectRecords } from '../entities/index.js';
import type { CustomerContext } from './context.js';

const empty = { accessToken: null, accessTokenExpiresAt: null, refreshToken: null, customer: null, staff: null, partner: null };

/** Tokens plus who they are for. */
async function authPayload(ctx: CustomerContext, result: Result<Tokens>) {
  if (!result.ok) return { ...empty, userErrors: result.errors };
  const { subject, accessToken, accessTokenExpiresAt, refreshToken } = result.value;
  const records = await subjectRecords(ctx.em, subject);
  return { accessToken, accessTokenExpiresAt, refreshToken, ...records, userErrors: [] as UserError[] };
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
