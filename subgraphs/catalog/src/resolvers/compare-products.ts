import { badInput, isUuid, notFound } from '@dcrm/kit';
import { comparisonMatrix } from '../domain/compare.js';
import { translatedAttributes } from '../domain/product-texts.js';
import type { ProductView } from '../entities/views.js';
import type { CatalogResolvers } from './context.js';

export const compareProductsResolvers: CatalogResolvers = {
  Query: {
    compareProducts: async (_, args, ctx) => {
      const ids = [...new Set(args.ids)];
      if (ids.length < 2 || ids.length > 4) throw badInput('Compare 2 to 4 distinct products', 'ids');
      if (!ids.every(isUuid)) throw badInput('Not a valid id', 'ids');
      const loaded = await Promise.all(ids.map((id) => ctx.loaders.product.load(id)));
      const products = loaded.filter((p): p is ProductView => p !== null);
      // An id outside the caller's assortment is NOT_FOUND like any unknown id: no existence leak.
      if (products.length < loaded.length) throw notFound('Product');
      // Row labels in the request's language, as each product's attributes show them.
      const translated = await Promise.all(
        products.map(async (p) => ({ ...p, attributes: await translatedAttributes(ctx.loaders.texts, p) })),
      );
      return { products, rows: comparisonMatrix(translated) };
    },
  },
};
