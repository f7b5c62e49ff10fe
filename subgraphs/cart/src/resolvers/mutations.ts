import { payload } from '@dcrm/kit';
import { storefrontCurrency } from '../clients/storefront.js';
import { cartCheckoutAssisted } from '../domain/assisted-checkout.js';
import type { Result } from '../domain/cart.errors.js';
import {
  type Created,
  cartAttachCustomer,
  cartCreate,
  cartLinesAdd,
  cartLinesRemove,
  cartLinesUpdate,
  cartNoteSet,
} from '../domain/cart-edit.js';
import { cartCheckout } from '../domain/checkout.js';
import { orderStatusUpdate } from '../domain/orders.js';
import { cartPromoCodeApply, cartPromoCodeRemove } from '../domain/promo-codes.js';
import type { ICart } from '../entities/index.js';
import type { CartContext, CartResolvers } from './context.js';

const edit = (ctx: CartContext) => ({ em: ctx.em, principal: ctx.principal, catalog: ctx.loaders.catalog });
/** What edits that involve promotions need besides: the services and the per-request buyer lookup. */
const priced = (ctx: CartContext) => ({ ...edit(ctx), services: ctx.services, buyer: ctx.loaders.buyer });
const cartPayload = (result: Result<ICart>) => ({ ...payload('cart', result), cartToken: null });

export const mutationResolvers: CartResolvers = {
  Mutation: {
    cartCreate: async (_, { input }, ctx) => {
      const result: Result<Created> = await cartCreate(edit(ctx), input.lines ?? [], () =>
        storefrontCurrency(ctx.services.peers('catalog'), ctx.principal),
      );
      if (!result.ok) return { cart: null, cartToken: null, userErrors: result.errors };
      // The lines just written are the cart's lines: the answer reads them without reading them back.
      ctx.loaders.lines.prime(result.value.cart.id, result.value.lines);
      return { cart: result.value.cart, cartToken: result.value.cartToken, userErrors: [] };
    },
    cartLinesAdd: async (_, { input }, ctx) => cartPayload(await cartLinesAdd(edit(ctx), input.cart, input.lines)),
    cartLinesUpdate: async (_, { input }, ctx) => cartPayload(await cartLinesUpdate(edit(ctx), input.cart, input.lines)),
    cartLinesRemove: async (_, { input }, ctx) => cartPayload(await cartLinesRemove(edit(ctx), input.cart, input.lineIds)),
    cartNoteSet: async (_, { input }, ctx) => cartPayload(await cartNoteSet(edit(ctx), input.cart, input.note ?? null)),
    cartAttachCustomer: async (_, { input }, ctx) => cartPayload(await cartAttachCustomer(edit(ctx), input.cartId, input.cartToken)),
    cartPromoCodeApply: async (_, { input }, ctx) => cartPayload(await cartPromoCodeApply(priced(ctx), input.cart, input.code)),
    cartPromoCodeRemove: async (_, { input }, ctx) => cartPayload(await cartPromoCodeRemove(priced(ctx), input.cart, input.code)),
    cartCheckout: async (_, { input }, ctx) => payload('order', await cartCheckout(priced(ctx), input.cart, input.idempotencyKey)),
    cartCheckoutAssisted: async (_, { input }, ctx) => payload('order', await cartCheckoutAssisted(priced(ctx), input)),
    orderStatusUpdate: async (_, { input }, ctx) => payload('order', await orderStatusUpdate(ctx.em, ctx.principal, input)),
  },
};
