import type { AppliedDiscount, TotalsData } from '@dcrm/kit';
import { amountWithTax, money, taxInclusiveTotals } from '@dcrm/kit';
import type { CartDiscount } from '../clients/promotions.js';
import { findCart } from '../domain/access.js';
import { cartTotals, priceLines, sold } from '../domain/pricing.js';
import type { CartResolvers } from './context.js';

/** Totals as GraphQL Money objects. */
export function totalsView(t: TotalsData) {
  const m = (amount: string) => money(amount, t.currencyCode);
  const withTax = taxInclusiveTotals(t);
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
    subtotalOneOffWithTax: m(withTax.subtotalOneOffWithTax),
    subtotalRecurringWithTax: m(withTax.subtotalRecurringWithTax),
    discountsWithTax: m(withTax.discountsWithTax),
    recurringDiscountsWithTax: m(withTax.recurringDiscountsWithTax),
  };
}

/** A cart's or order's promotions as GraphQL `CartDiscount`s. */
export const discountsView = (discounts: AppliedDiscount[], currencyCode: string) =>
  discounts.map((d) => ({ ...d, oneOff: money(d.oneOff, currencyCode), recurring: money(d.recurring, currencyCode) }));

export const cartResolvers: CartResolvers = {
  Query: {
    cart: (_, args, ctx) => findCart(ctx.em, ctx.principal, args.id, args.cartToken),
  },
  Cart: {
    __resolveReference: (ref, ctx) => ctx.loaders.cart.load(ref.id),
    lines: async (c, _, ctx) => (await ctx.loaders.lines.load(c.id)).map((l) => ({ ...l, currencyCode: c.currencyCode })),
    // Always today's catalog prices and promotions for this caller; unavailable lines count for nothing (checkout refuses them).
    totals: async (c, _, ctx) => {
      const [lines, evaluation] = await Promise.all([ctx.loaders.lines.load(c.id), ctx.loaders.evaluation.load(c)]);
      const products = await Promise.all(lines.map((l) => ctx.loaders.catalog.load(l.productId)));
      return totalsView(cartTotals(priceLines(lines, products), evaluation.discounts, c.currencyCode));
    },
    discounts: async (c, _, ctx) =>
      discountsView(
        (await ctx.loaders.evaluation.load(c)).discounts.map(({ lines: _l, ...d }: CartDiscount) => d),
        c.currencyCode,
      ),
    promoCodes: (c) => c.promoCodes ?? [],
    order: (c, _, ctx) => (c.orderId ? ctx.loaders.order.load(c.orderId) : null),
  },
  CartLine: {
    product: async (l, _, ctx) => (sold(await ctx.loaders.catalog.load(l.productId)) ? { __typename: 'Product', id: l.productId } : null),
    name: async (l, _, ctx) => (await ctx.loaders.catalog.load(l.productId))?.name ?? 'No longer available',
    parentLineId: (l) => l.parentLineId ?? null,
    recurringPrice: async (l, _, ctx) => {
      const p = await ctx.loaders.catalog.load(l.productId);
      return p?.recurring ? money(p.recurring, l.currencyCode) : null;
    },
    oneOffPrice: async (l, _, ctx) => {
      const p = await ctx.loaders.catalog.load(l.productId);
      return p?.oneOff ? money(p.oneOff, l.currencyCode) : null;
    },
    recurringPriceWithTax: async (l, _, ctx) => {
      const p = await ctx.loaders.catalog.load(l.productId);
      return p?.recurring ? money(amountWithTax(p.recurring, l.currencyCode, p.taxCategory), l.currencyCode) : null;
    },
    oneOffPriceWithTax: async (l, _, ctx) => {
      const p = await ctx.loaders.catalog.load(l.productId);
      return p?.oneOff ? money(amountWithTax(p.oneOff, l.currencyCode, p.taxCategory), l.currencyCode) : null;
    },
    deposit: async (l, _, ctx) => {
      const p = await ctx.loaders.catalog.load(l.productId);
      return p?.deposit ? money(p.deposit, l.currencyCode) : null;
    },
    available: async (l, _, ctx) => sold(await ctx.loaders.catalog.load(l.productId)),
  },
};
