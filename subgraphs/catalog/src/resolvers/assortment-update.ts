import { assortmentUpdate } from '../domain/assortment.js';
import type { CatalogResolvers } from './context.js';

export const assortmentResolvers: CatalogResolvers = {
  Mutation: {
    assortmentUpdate: async (_, { input }, ctx) => {
      const result = await assortmentUpdate(ctx.em, ctx.principal, input);
      return result.ok
        ? { storefront: result.value.storefront, productCount: result.value.productCount, userErrors: [] }
        : { storefront: null, productCount: null, userErrors: result.errors };
    },
  },
};
