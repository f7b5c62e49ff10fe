import { amountWithTax, badInput, isUuid, money, notFound, selectsAny, type TaxCategory, taxDisplayFor, taxRate, thenNow } from '@dcrm/kit';
import { headline, scopeOf } from '../domain/pricing.js';
import type { ProductView } from '../entities/views.js';
import type { CatalogResolvers } from './context.js';

export const productResolvers: CatalogResolvers = {
  Query: {
    // Unknown, or outside the caller's assortment (indistinguishable on purpose): NOT_FOUND.
    // A product page asks for the add-ons too: then product, prices and add-ons are one statement.
    product: async (_, args, ctx, info) => {
      if (args.id != null && args.slug != null) throw badInput('Give exactly one of id or slug');
      const addons = selectsAny(info, ['compatibleAddons']);
      let found: ProductView | null;
      if (args.id != null) found = isUuid(args.id) ? await ctx.loaders.productDetail({ column: 'id', key: args.id, addons }) : null;
      else if (args.slug != null) found = await ctx.loaders.productDetail({ column: 'slug', key: args.slug, addons });
      else throw badInput('Give exactly one of id or slug');
      if (!found) throw notFound('Product');
      return found;
    },
  },
  Product: {
    // Same visibility rules as the queries: a product outside the caller's assortment resolves to null.
    __resolveReference: (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.product.load(ref.id) : null),
    // Plain values when read with the product (a page's rows, a detail): no promise per field (kit `KnownLoader`).
    category: (p, _, ctx) => (p.categoryId ? ctx.loaders.category.now(p.categoryId) : null),
    price: (p, _, ctx) => thenNow(ctx.loaders.prices.now(p.id), headline),
    prices: (p, _, ctx) => ctx.loaders.prices.now(p.id),
    compatibleAddons: (p, _, ctx) => ctx.loaders.compatibleAddons.load(p.id),
    bundleItems: (p, _, ctx) => ctx.loaders.bundleItems.load(p.id),
  },
  Price: {
    amount: (p) => money(p.amount, p.currencyCode),
    amountWithoutTax: (p) => money(p.amount, p.currencyCode),
    amountWithTax: (p) => money(amountWithTax(p.amount, p.currencyCode, p.taxCategory as TaxCategory), p.currencyCode),
    taxRate: (p) => taxRate(p.currencyCode, p.taxCategory as TaxCategory),
    // Both forms come from the row and the storefront's rules: no query.
    displayAmount: (p, _, ctx) =>
      money(
        taxDisplayFor(ctx.principal) === 'EXCLUDING_TAX' ? p.amount : amountWithTax(p.amount, p.currencyCode, p.taxCategory as TaxCategory),
        p.currencyCode,
      ),
    deposit: (p) => (p.deposit == null ? null : money(p.deposit, p.currencyCode)),
    priceList: (p) => ({
      id: p.priceListId,
      name: p.listName,
      currencyCode: p.currencyCode,
      customerId: p.listCustomerId,
      segment: p.listSegment,
    }),
  },
  PriceList: {
    scope: (l) => scopeOf({ listCustomerId: l.customerId ?? null, listSegment: l.segment ?? null }),
  },
};
