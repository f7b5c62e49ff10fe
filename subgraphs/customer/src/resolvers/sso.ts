import { staffSsoSignIn } from '../domain/sso.js';
import { authPayload } from './auth.js';
import type { CustomerResolvers } from './context.js';

export const ssoResolvers: CustomerResolvers = {
  Mutation: {
    staffSsoSignIn: async (_, { input }, ctx) => authPayload(ctx, await staffSsoSignIn(ctx.em, ctx.services, input)),
  },
};
