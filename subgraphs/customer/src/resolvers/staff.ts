import { isUuid, type Resolvers } from '@dcrm/kit';
import { npsScore } from '../domain/nps-write.js';
import type { IPartner, IStaff } from '../entities/index.js';
import type { CustomerContext } from './context.js';

/** Staff records are for staff of the same storefront; a partner sees its own organisation. */
const staffVisible = (ctx: CustomerContext, s: IStaff | null) =>
  s && (ctx.principal.kind === 'service' || (ctx.principal.kind === 'staff' && ctx.principal.storefrontId === s.storefrontId)) ? s : null;
const partnerVisible = (ctx: CustomerContext, p: IPartner | null) =>
  p &&
  (ctx.principal.kind === 'service' ||
    (ctx.principal.kind === 'staff' && ctx.principal.storefrontId === p.storefrontId) ||
    (ctx.principal.kind === 'partner' && ctx.principal.partnerId === p.id))
    ? p
    : null;

export const staffResolvers: Resolvers = {
  Query: {
    staffMe: (_: unknown, __: unknown, ctx: CustomerContext) => ctx.loaders.staff.load(ctx.principal.id as string),
    npsScore: (_: unknown, args: { segment?: string; from?: Date; to?: Date }, ctx: CustomerContext) =>
      npsScore(ctx.em, ctx.principal, args),
  },
  Staff: {
    __resolveReference: async (ref: { id: string }, ctx: CustomerContext) =>
      isUuid(ref.id) ? staffVisible(ctx, await ctx.loaders.staff.load(ref.id)) : null,
    manager: async (s: IStaff, _: unknown, ctx: CustomerContext) =>
      s.manager ? staffVisible(ctx, await ctx.loaders.staff.load(s.manager.id)) : null,
    accessGroups: async (s: IStaff, _: unknown, ctx: CustomerContext) => (await ctx.loaders.accessGroups.load(s.id)).map((r) => r.group),
  },
  Partner: {
    __resolveReference: async (ref: { id: string }, ctx: CustomerContext) =>
      isUuid(ref.id) ? partnerVisible(ctx, await ctx.loaders.partner.load(ref.id)) : null,
  },
};
