import { isUuid, type Resolvers } from '@dcrm/kit';
import { npsScore } from '../domain/nps-write.js';
import { visiblePartner, visibleStaff } from '../domain/scope.js';
import type { IStaff } from '../entities/index.js';
import type { CustomerContext } from './context.js';

export const staffResolvers: Resolvers = {
  Query: {
    staffMe: (_: unknown, __: unknown, ctx: CustomerContext) => ctx.loaders.staff.load(ctx.principal.id as string),
    npsScore: (_: unknown, args: { segment?: string; from?: Date; to?: Date }, ctx: CustomerContext) =>
      npsScore(ctx.em, ctx.principal, args),
  },
  Staff: {
    __resolveReference: async (ref: { id: string }, ctx: CustomerContext) =>
      isUuid(ref.id) ? visibleStaff(ctx.principal, await ctx.loaders.staff.load(ref.id)) : null,
    manager: async (s: IStaff, _: unknown, ctx: CustomerContext) =>
      s.manager ? visibleStaff(ctx.principal, await ctx.loaders.staff.load(s.manager.id)) : null,
    accessGroups: async (s: IStaff, _: unknown, ctx: CustomerContext) => (await ctx.loaders.accessGroups.load(s.id)).map((r) => r.group),
  },
  Partner: {
    __resolveReference: async (ref: { id: string }, ctx: CustomerContext) =>
      isUuid(ref.id) ? visiblePartner(ctx.principal, await ctx.loaders.partner.load(ref.id)) : null,
  },
};
