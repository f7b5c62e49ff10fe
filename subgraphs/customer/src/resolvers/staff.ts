import { isUuid } from '@dcrm/kit';
import { npsScore } from '../domain/nps-write.js';
import { visiblePartner, visibleStaff } from '../domain/scope.js';
import type { CustomerResolvers } from './context.js';

export const staffResolvers: CustomerResolvers = {
  Query: {
    staffMe: (_, __, ctx) => ctx.loaders.staff.load(ctx.principal.id as string),
    npsScore: (_, args, ctx) => npsScore(ctx.em, ctx.principal, args),
  },
  Staff: {
    __resolveReference: async (ref, ctx) => (isUuid(ref.id) ? visibleStaff(ctx.principal, await ctx.loaders.staff.load(ref.id)) : null),
    manager: async (s, _, ctx) => (s.manager ? visibleStaff(ctx.principal, await ctx.loaders.staff.load(s.manager.id)) : null),
    accessGroups: async (s, _, ctx) => (await ctx.loaders.accessGroups.load(s.id)).map((r) => r.group),
  },
  Partner: {
    __resolveReference: async (ref, ctx) => (isUuid(ref.id) ? visiblePartner(ctx.principal, await ctx.loaders.partner.load(ref.id)) : null),
  },
};
