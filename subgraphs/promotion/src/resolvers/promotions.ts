import { actingStorefront, isUuid, notFound, parsePage, payload, toConnection } from '@dcrm/kit';
import { promotionCreate, promotionUpdate } from '../domain/promotion-write.js';
import { promotionsPage } from '../entities/index.js';
import type { PromotionResolvers } from './context.js';

const SORT = 'PRIORITY';

/** Staff CRUD of promotions: Query.promotions/promotion, Mutation.promotionCreate/Update, type Promotion. */
export const promotionResolvers: PromotionResolvers = {
  Query: {
    promotions: async (_, args, ctx) => {
      const page = parsePage(args, SORT, 2);
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) return toConnection([], page, SORT, () => []);
      const rows = await promotionsPage(ctx.em, storefrontId, args.active, page);
      return toConnection(rows, page, SORT, (p) => [p.priority, p.id]);
    },
    promotion: async (_, { id }, ctx) => {
      const promotion = isUuid(id) ? await ctx.loaders.promotion.load(id) : null;
      if (!promotion) throw notFound('Promotion');
      return promotion;
    },
  },
  Mutation: {
    promotionCreate: async (_, { input }, ctx) =>
      payload('promotion', await promotionCreate(ctx.em, ctx.services.peers, ctx.principal, input)),
    promotionUpdate: async (_, { input }, ctx) =>
      payload('promotion', await promotionUpdate(ctx.em, ctx.services.peers, ctx.principal, input)),
  },
  Promotion: {
    // Who may look promotions up is `@lookup` in the SDL; the loader keeps to the caller's storefront.
    __resolveReference: (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.promotion.load(ref.id) : null),
    messages: (p) => Object.entries(p.messages).map(([locale, template]) => ({ locale, template })),
  },
};
