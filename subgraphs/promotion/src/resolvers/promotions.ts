import { actingStorefront, hasScope, isUuid, notFound, type PageArgs, parsePage, payload, type Resolvers, toConnection } from '@dcrm/kit';
import { type PromotionCreateInput, type PromotionUpdateInput, promotionCreate, promotionUpdate } from '../domain/promotion-write.js';
import { type IPromotion, PromotionRow } from '../entities/index.js';
import type { PromotionContext } from './context.js';

const SORT = 'PRIORITY';

/** Staff CRUD of promotions: Query.promotions/promotion, Mutation.promotionCreate/Update, type Promotion. */
export const promotionResolvers: Resolvers = {
  Query: {
    // Highest priority first, then id: the order the engine applies them in.
    promotions: async (_: unknown, args: PageArgs & { active?: boolean | null }, ctx: PromotionContext) => {
      const page = parsePage(args, SORT, 2);
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) return toConnection([], page, SORT, () => []);
      const [priority, id] = (page.after ?? []) as [number, string];
      const after =
        page.after && typeof priority === 'number' && isUuid(id)
          ? { $or: [{ priority: { $lt: priority } }, { priority, id: { $gt: id } }] }
          : {};
      const rows = await ctx.em.find(
        PromotionRow,
        { $and: [{ storefrontId }, args.active == null ? {} : { active: args.active }, after] },
        { orderBy: [{ priority: 'desc' }, { id: 'asc' }], limit: page.limit + 1 },
      );
      return toConnection(rows, page, SORT, (p) => [p.priority, p.id]);
    },
    promotion: async (_: unknown, { id }: { id: string }, ctx: PromotionContext) => {
      const promotion = isUuid(id) ? await ctx.loaders.promotion.load(id) : null;
      if (!promotion) throw notFound('Promotion');
      return promotion;
    },
  },
  Mutation: {
    promotionCreate: async (_: unknown, { input }: { input: PromotionCreateInput }, ctx: PromotionContext) =>
      payload('promotion', await promotionCreate(ctx.em, ctx.services.peers, ctx.principal, input)),
    promotionUpdate: async (_: unknown, { input }: { input: PromotionUpdateInput }, ctx: PromotionContext) =>
      payload('promotion', await promotionUpdate(ctx.em, ctx.services.peers, ctx.principal, input)),
  },
  Promotion: {
    // Only staff who may read promotions (and services) resolve them, and only their storefront's.
    __resolveReference: (ref: { id: string }, ctx: PromotionContext) => {
      const p = ctx.principal;
      const allowed = p.kind === 'service' || (p.kind === 'staff' && hasScope(p, 'promotion:read'));
      return allowed && isUuid(ref.id) ? ctx.loaders.promotion.load(ref.id) : null;
    },
    messages: (p: IPromotion) => Object.entries(p.messages).map(([locale, template]) => ({ locale, template })),
  },
};
