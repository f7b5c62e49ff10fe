import { badInput, isUuid, notFound, type Resolvers } from '@dcrm/kit';
import { comparisonMatrix } from '../domain/compare.js';
import type { ProductView } from '../entities/views.js';
import type { CatalogContext } from './context.js';

export const compareProductsResolvers: Resolvers = {
  Query: {
    compareProducts: async (_: unknown, args: { ids: string[] }, ctx: CatalogContext) => {
      const ids = [...new Set(args.ids)];
      if (ids.length < 2 || ids.length > 4) throw badInput('Compare 2 to 4 distinct products', 'ids');
      if (!ids.every(isUuid)) throw badInput('Not a valid id', 'ids');
      const products = await Promise.all(ids.map((id) => ctx.loaders.product.load(id)));
      // An id outside the caller's assortment is NOT_FOUND like any unknown id: no existence leak.
      if (products.some((p) => p === null)) throw notFound('Product');
      const found = products as ProductView[];
      return { products: found, rows: comparisonMatrix(found) };
    },
  },
};
