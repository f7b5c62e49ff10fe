import { payload } from '@dcrm/kit';
import { productArchive, productCreate, productUpdate } from '../domain/product-write.js';
import type { CatalogResolvers } from './context.js';

export const productMutationResolvers: CatalogResolvers = {
  Mutation: {
    productCreate: async (_, { input }, ctx) => payload('product', await productCreate(ctx.em, ctx.principal, input)),
    productUpdate: async (_, { input }, ctx) => payload('product', await productUpdate(ctx.em, ctx.principal, input)),
    productArchive: async (_, { input }, ctx) => payload('product', await productArchive(ctx.em, ctx.principal, input.id)),
  },
};
