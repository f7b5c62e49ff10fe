import { actingStorefront, isUuid, notFound, type PageArgs, parsePage, payload, type Resolvers, toConnection } from '@dcrm/kit';
import { type PromotionCreateInput, type PromotionUpdateInput, promotionCreate, promotionUpdate } from '../domain/promotion-write.js';
import { type IPromotion, promotionsPage } from '../entities/index.js';
import type { PromotionContext } from './context.js';

const SORT = 'PRIORITY';

/** Staff CRUD of promotions: Query.promotions/promotion, Mutation.promotionCreate/Update, type Promotion. */
export const promotionResolvers: Resolvers = {
  Query: {
    promotions: async (_: unknown, args: PageArgs & { active?: boolean | null }, ctx: PromotionContext) => {
      const page = parsePage(args, SORT, 2);
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) return toConnection([], page, SORT, () => []);
      const rows = await promotionsPage(ctx.em, storefrontId, args.active, page);
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
    // Who may look promotions up is `@lookup` in the SDL; the loader keeps to the caller's storefront.
    __resolveReference: (ref: { id: string }, ctx: PromotionContext) => (isUuid(ref.id) ? ctx.loaders.promotion.load(ref.id) : null),
    messages: (p: IPromotion) => Object.entries(p.messages).map(([locale, template]) => ({ locale, template })),
  },
};
