import type { Resolvers } from '@dcrm/kit';
import { type AssortmentUpdateInput, assortmentUpdate } from '../domain/assortment.js';
import type { CatalogContext } from './context.js';

export const assortmentResolvers: Resolvers = {
  Mutation: {
    assortmentUpdate: async (_: unknown, args: { input: AssortmentUpdateInput }, ctx: CatalogContext) => {
      const result = await assortmentUpdate(ctx.em, ctx.principal, args.input);
      return result.ok
        ? { storefront: result.value.storefront, productCount: result.value.productCount, userErrors: [] }
        : { storefront: null, productCount: null, userErrors: result.errors };
    },
  },
};
