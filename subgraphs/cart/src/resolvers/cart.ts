import { money, type Resolvers } from '@dcrm/kit';
import { findCart } from '../domain/access.js';
import { sold } from '../domain/catalog.js';
import type { CartDiscount } from '../domain/promotions.js';
import { type AppliedDiscount, computeTotals, type TotalsData, withDiscounts } from '../domain/totals.js';
import type { ICart, ICartLine } from '../entities/index.js';
import type { CartContext } from './context.js';

type LineView = ICartLine & { currencyCode: string };

/** Totals as GraphQL Money objects. */
export function totalsView(t: TotalsData) {
  const m = (amount: string) => money(amount, t.currencyCode);
  return {
    subtotalOneOff: m(t.subtotalOneOff),
    subtotalRecurring: m(t.subtotalRecurring),
    deposit: m(t.deposit),
    taxOneOff: m(t.taxOneOff),
    taxRecurring: m(t.taxRecurring),
    discounts: m(t.discounts),
    recurringDiscounts: m(t.recurringDiscounts ?? '0.00'),
    dueNow: m(t.dueNow),
    monthly: m(t.monthly),
  };
}

/** A cart's or order's promotions as GraphQL `CartDiscount`s. */
export const discountsView = (discounts: AppliedDiscount[], currencyCode: string) =>
  discounts.map((d) => ({ ...d, oneOff: money(d.oneOff, currencyCode), recurring: money(d.recurring, currencyCode) }));

export const cartResolvers: Resolvers = {
  Query: {
    cart: (_: unknown, args: { id: string; cartToken?: string | null }, ctx: CartContext) =>
      findCart(ctx.em, ctx.principal, args.id, args.cartToken),
  },
  Cart: {
    __resolveReference: (ref: { id: string }, ctx: CartContext) => ctx.loaders.cart.load(ref.id),
    lines: async (c: ICart, _: unknown, ctx: CartContext) =>
      (await ctx.loaders.lines.load(c.id)).map((l) => ({ ...l, currencyCode: c.currencyCode })),
    // Always today's catalog prices and promotions for this caller; unavailable lines count for nothing (checkout refuses them).
    totals: async (c: ICart, _: unknown, ctx: CartContext) => {
      const [lines, evaluation] = await Promise.all([ctx.loaders.lines.load(c.id), ctx.loaders.evaluation.load(c)]);
      const products = await Promise.all(lines.map((l) => ctx.loaders.catalog.load(l.productId)));
      const priced = lines.flatMap((l, i) => {
        const p = products[i];
        return sold(p)
          ? [
              {
                lineId: l.id,
                quantity: l.quantity,
                recurring: p.recurring,
                oneOff: p.oneOff,
                deposit: p.deposit,
                taxCategory: p.taxCategory,
              },
            ]
          : [];
      });
      return totalsView(computeTotals(withDiscounts(priced, evaluation.discounts), c.currencyCode));
    },
    discounts: async (c: ICart, _: unknown, ctx: CartContext) =>
      discountsView(
        (await ctx.loaders.evaluation.load(c)).discounts.map(({ lines: _l, ...d }: CartDiscount) => d),
        c.currencyCode,
      ),
    promoCodes: (c: ICart) => c.promoCodes ?? [],
    order: (c: ICart, _: unknown, ctx: CartContext) => (c.orderId ? ctx.loaders.order.load(c.orderId) : null),
  },
  CartLine: {
    product: async (l: LineView, _: unknown, ctx: CartContext) =>
      sold(await ctx.loaders.catalog.load(l.productId)) ? { __typename: 'Product', id: l.productId } : null,
    name: async (l: LineView, _: unknown, ctx: CartContext) => (await ctx.loaders.catalog.load(l.productId))?.name ?? 'No longer available',
    parentLineId: (l: LineView) => l.parentLineId ?? null,
    recurringPrice: async (l: LineView, _: unknown, ctx: CartContext) => {
      const p = await ctx.loaders.catalog.load(l.productId);
      return p?.recurring ? money(p.recurring, l.currencyCode) : null;
    },
    oneOffPrice: async (l: LineView, _: unknown, ctx: CartContext) => {
      const p = await ctx.loaders.catalog.load(l.productId);
      return p?.oneOff ? money(p.oneOff, l.currencyCode) : null;
    },
    deposit: async (l: LineView, _: unknown, ctx: CartContext) => {
      const p = await ctx.loaders.catalog.load(l.productId);
      return p?.deposit ? money(p.deposit, l.currencyCode) : null;
    },
    available: async (l: LineView, _: unknown, ctx: CartContext) => sold(await ctx.loaders.catalog.load(l.productId)),
  },
};
