import { apiError, parsePage, payload, toConnection } from '@dcrm/kit';
import { accountPasswordChange } from '../domain/login.js';
import { listPartnerUsers, partnerUserCreate, partnerUserDeactivate, partnerUserKey } from '../domain/partner-users.js';
import { customerPasswordChange } from '../domain/password-change.js';
import { authPayload } from './auth.js';
import type { CustomerResolvers } from './context.js';

/** Partner users (`partner:manage`: staff of the partner's brand, or the partner's own admins) and the customer's password change. */
export const partnerUserResolvers: CustomerResolvers = {
  Query: {
    partnerUsers: async (_, { partnerId, ...args }, ctx) => {
      const page = parsePage(args, 'EMAIL', 1);
      const users = await listPartnerUsers(ctx.em, ctx.principal, partnerId, page);
      if (!users.ok) throw apiError('NOT_FOUND', 'Partner not found');
      return toConnection(users.value, page, 'EMAIL', partnerUserKey);
    },
  },
  Mutation: {
    partnerUserCreate: async (_, { input }, ctx) => {
      const result = await partnerUserCreate(ctx.em, ctx.principal, input);
      return result.ok ? { ...result.value, userErrors: [] } : { partnerUser: null, oneTimePassword: null, userErrors: result.errors };
    },
    partnerUserDeactivate: async (_, { input }, ctx) =>
      payload('partnerUser', await partnerUserDeactivate(ctx.em, ctx.services, ctx.principal, input.id)),
    partnerPasswordChange: async (_, { input }, ctx) => {
      const result = await accountPasswordChange(ctx.em, ctx.services, 'partner', input, ctx.principal);
      return { ok: result.ok, userErrors: result.ok ? [] : result.errors };
    },
    customerPasswordChange: async (_, { input }, ctx) =>
      authPayload(ctx, await customerPasswordChange(ctx.em, ctx.services, ctx.principal, input)),
  },
  PartnerUser: {
    partner: (u, _, ctx) => ctx.loaders.partner.load(u.partner.id).then((p) => p ?? u.partner),
  },
};
