import { payload, type Resolvers, type Result } from '@dcrm/kit';
import { storefrontCurrency } from '../clients/storefront.js';
import {
  type CartRef,
  type Created,
  cartAttachCustomer,
  cartCreate,
  cartLinesAdd,
  cartLinesRemove,
  cartLinesUpdate,
  cartNoteSet,
  type LineInput,
} from '../domain/cart-edit.js';
import { cartCheckout } from '../domain/checkout.js';
import { orderStatusUpdate } from '../domain/orders.js';
import { cartPromoCodeApply, cartPromoCodeRemove } from '../domain/promo-codes.js';
import type { ICart, OrderStatus } from '../entities/index.js';
import type { CartContext } from './context.js';

const edit = (ctx: CartContext) => ({ em: ctx.em, principal: ctx.principal, catalog: ctx.loaders.catalog });
/** What edits that involve promotions need besides: the services and the per-request buyer lookup. */
const priced = (ctx: CartContext) => ({ ...edit(ctx), services: ctx.services, buyer: ctx.loaders.buyer });
const cartPayload = (result: Result<ICart>) => ({ ...payload('cart', result), cartToken: null });

export const mutationResolvers: Resolvers = {
  Mutation: {
    cartCreate: async (_: unknown, { input }: { input: { lines?: LineInput[] | null } }, ctx: CartContext) => {
      const result: Result<Created> = await cartCreate(edit(ctx), input.lines ?? [], () =>
        storefrontCurrency(ctx.services.peers('catalog'), ctx.principal),
      );
      return result.ok
        ? { cart: result.value.cart, cartToken: result.value.cartToken, userErrors: [] }
        : { cart: null, cartToken: null, userErrors: result.errors };
    },
    cartLinesAdd: async (_: unknown, { input }: { input: { cart: CartRef; lines: LineInput[] } }, ctx: CartContext) =>
      cartPayload(await cartLinesAdd(edit(ctx), input.cart, input.lines)),
    cartLinesUpdate: async (
      _: unknown,
      { input }: { input: { cart: CartRef; lines: { id: string; quantity: number }[] } },
      ctx: CartContext,
    ) => cartPayload(await cartLinesUpdate(edit(ctx), input.cart, input.lines)),
    cartLinesRemove: async (_: unknown, { input }: { input: { cart: CartRef; lineIds: string[] } }, ctx: CartContext) =>
      cartPayload(await cartLinesRemove(edit(ctx), input.cart, input.lineIds)),
    cartNoteSet: async (_: unknown, { input }: { input: { cart: CartRef; note?: string | null } }, ctx: CartContext) =>
      cartPayload(await cartNoteSet(edit(ctx), input.cart, input.note ?? null)),
    cartAttachCustomer: async (_: unknown, { input }: { input: { cartId: string; cartToken: string } }, ctx: CartContext) =>
      cartPayload(await cartAttachCustomer(edit(ctx), input.cartId, input.cartToken)),
    cartPromoCodeApply: async (_: unknown, { input }: { input: { cart: CartRef; code: string } }, ctx: CartContext) =>
      cartPayload(await cartPromoCodeApply(priced(ctx), input.cart, input.code)),
    cartPromoCodeRemove: async (_: unknown, { input }: { input: { cart: CartRef; code: string } }, ctx: CartContext) =>
      cartPayload(await cartPromoCodeRemove(priced(ctx), input.cart, input.code)),
    cartCheckout: async (_: unknown, { input }: { input: { cart: CartRef; idempotencyKey: string } }, ctx: CartContext) =>
      payload('order', await cartCheckout(priced(ctx), input.cart, input.idempotencyKey)),
    orderStatusUpdate: async (
      _: unknown,
      { input }: { input: { id: string; status: OrderStatus; reason?: string | null } },
      ctx: CartContext,
    ) => payload('order', await orderStatusUpdate(ctx.em, ctx.principal, input)),
  },
};
