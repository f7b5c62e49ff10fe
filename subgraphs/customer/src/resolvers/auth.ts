import type { Result, UserError } from '../domain/customer.errors.js';
import { accountPasswordChange, login } from '../domain/login.js';
import { customerRegister } from '../domain/register.js';
import { renewTokens, revokeSession, type Tokens } from '../domain/sessions.js';
import { subjectRecords } from '../entities/index.js';
import type { CustomerContext, CustomerResolvers } from './context.js';

const empty = { accessToken: null, accessTokenExpiresAt: null, refreshToken: null, customer: null, staff: null, partner: null };

/** Tokens plus who they are for. */
export async function authPayload(ctx: CustomerContext, result: Result<Tokens>) {
  if (!result.ok) return { ...empty, userErrors: result.errors };
  const { subject, accessToken, accessTokenExpiresAt, refreshToken } = result.value;
  const records = await subjectRecords(ctx.em, subject);
  return { accessToken, accessTokenExpiresAt, refreshToken, ...records, userErrors: [] as UserError[] };
}

const done = (result: Result<true>) => ({ ok: result.ok, userErrors: result.ok ? [] : result.errors });

export const authResolvers: CustomerResolvers = {
  Mutation: {
    customerRegister: async (_, { input }, ctx) => authPayload(ctx, await customerRegister(ctx.em, ctx.services, input, ctx.principal)),
    customerLogin: async (_, { input }, ctx) => authPayload(ctx, await login(ctx.em, ctx.services, 'customer', input, ctx.principal)),
    staffLogin: async (_, { input }, ctx) => authPayload(ctx, await login(ctx.em, ctx.services, 'staff', input, ctx.principal)),
    partnerLogin: async (_, { input }, ctx) => authPayload(ctx, await login(ctx.em, ctx.services, 'partner', input, ctx.principal)),
    customerAccessTokenRenew: async (_, { input }, ctx) =>
      authPayload(ctx, await renewTokens(ctx.em, ctx.services, input.refreshToken, ctx.principal)),
    customerLogout: async (_, { input }, ctx) => done(await revokeSession(ctx.em, ctx.services, input.refreshToken)),
    staffPasswordChange: async (_, { input }, ctx) =>
      done(await accountPasswordChange(ctx.em, ctx.services, 'staff', input, ctx.principal)),
  },
};
