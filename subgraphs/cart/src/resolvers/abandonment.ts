import {
  actingStorefront,
  EVENTS,
  isUuid,
  newId,
  notFound,
  ownedRow,
  type ProductViewedEvent,
  parsePage,
  payload,
  toConnection,
} from '@dcrm/kit';
import { recordView } from '../domain/abandonment.js';
import { abandonedCarts, cartAssist, recoveryKpis } from '../domain/assisted.js';
import { dropLinkRecover } from '../domain/drop-links.js';
import { cartById } from '../entities/index.js';
import type { CartResolvers } from './context.js';

export const abandonmentResolvers: CartResolvers = {
  Query: {
    abandonedCarts: async (_, args, ctx) => {
      const page = parsePage(args, 'NEWEST', 1);
      const rows = await abandonedCarts(ctx.em, ctx.principal, page);
      return toConnection(rows, page, 'NEWEST', (c) => [c.id]);
    },
    recoveryKpis: (_, args, ctx) => {
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId) throw notFound('Storefront');
      return recoveryKpis(ctx.em, storefrontId, args.from ?? null, args.to ?? null);
    },
  },
  Mutation: {
    productViewed: async (_, { input }, ctx) => {
      if (!isUuid(input.productId))
        return { recorded: false, userErrors: [{ code: 'INVALID', message: 'Not a valid id', field: ['input', 'productId'] }] };
      const now = ctx.services.clock.now();
      const recorded = await recordView(ctx.em, ctx.principal, input.productId, now);
      if (recorded) {
        const event: ProductViewedEvent = {
          eventId: newId(),
          storefrontId: ctx.principal.storefrontId as string,
          customerId: ctx.principal.id as string,
          productId: input.productId,
          at: now.toISOString(),
        };
        await ctx.services.bus.publish(EVENTS.productViewed, event).catch(() => {});
      }
      return { recorded, userErrors: [] };
    },
    dropLinkRecover: async (_, { input }, ctx) => {
      const result = await dropLinkRecover(ctx.em, ctx.principal, ctx.services.secret, input.token, ctx.services.clock.now());
      if (!result.ok) return { recovery: null, userErrors: result.errors };
      const r = result.value;
      return {
        recovery: {
          kind: r.kind,
          cart: r.cartId ? ownedRow(ctx.principal, await cartById(ctx.em.fork(), r.cartId)) : null,
          cartToken: r.cartToken,
          viewedProducts: r.viewedProductIds.map((id) => ({ __typename: 'Product', id })),
          step: r.step,
        },
        userErrors: [],
      };
    },
    cartAssist: async (_, { input }, ctx) => ({
      ...payload('cart', await cartAssist(ctx.em, ctx.principal, ctx.services.peers('customer'), input.cartId)),
      cartToken: null,
    }),
  },
};
