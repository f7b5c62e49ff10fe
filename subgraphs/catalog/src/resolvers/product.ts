import { badInput, isUuid, money, notFound, type Resolvers } from '@dcrm/kit';
import { headline } from '../domain/pricing.js';
import type { PriceView, ProductView } from '../entities/views.js';
import type { CatalogContext } from './context.js';

export const productResolvers: Resolvers = {
  Query: {
    // Unknown, or outside the caller's assortment (indistinguishable on purpose): NOT_FOUND.
    product: async (_: unknown, args: { id?: string; slug?: string }, ctx: CatalogContext) => {
      if ((args.id == null) === (args.slug == null)) throw badInput('Give exactly one of id or slug');
      const found =
        args.id != null
          ? isUuid(args.id)
            ? await ctx.loaders.product.load(args.id)
            : null
          : await ctx.loaders.productBySlug.load(args.slug as string);
      if (!found) throw notFound('Product');
      return found;
    },
  },
  Product: {
    // Same visibility rules as the queries: a product outside the caller's assortment resolves to null.
    __resolveReference: (ref: { id: string }, ctx: CatalogContext) => (isUuid(ref.id) ? ctx.loaders.product.load(ref.id) : null),
    category: (p: ProductView, _: unknown, ctx: CatalogContext) => (p.categoryId ? ctx.loaders.category.load(p.categoryId) : null),
    price: async (p: ProductView, _: unknown, ctx: CatalogContext) => headline(await ctx.loaders.prices.load(p.id)),
    prices: (p: ProductView, _: unknown, ctx: CatalogContext) => ctx.loaders.prices.load(p.id),
    compatibleAddons: (p: ProductView, _: unknown, ctx: CatalogContext) => ctx.loaders.compatibleAddons.load(p.id),
    bundleItems: (p: ProductView, _: unknown, ctx: CatalogContext) => ctx.loaders.bundleItems.load(p.id),
  },
  Price: {
    amount: (p: PriceView) => money(p.amount, p.currencyCode),
    deposit: (p: PriceView) => (p.deposit == null ? null : money(p.deposit, p.currencyCode)),
    priceList: (p: PriceView) => ({
      id: p.priceListId,
      name: p.listName,
      currencyCode: p.currencyCode,
      customerId: p.listCustomerId,
      segment: p.listSegment,
    }),
  },
  PriceList: {
    scope: (l: { customerId: string | null; segment: string | null }) => (l.customerId ? 'ACCOUNT' : l.segment ? 'SEGMENT' : 'STOREFRONT'),
  },
};
