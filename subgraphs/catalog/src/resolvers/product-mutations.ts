import { payload, type Resolvers } from '@dcrm/kit';
import { type ProductCreate, type ProductUpdate, productArchive, productCreate, productUpdate } from '../domain/product-write.js';
import type { CatalogContext } from './context.js';

export const productMutationResolvers: Resolvers = {
  Mutation: {
    productCreate: async (_: unknown, args: { input: ProductCreate }, ctx: CatalogContext) =>
      payload('product', await productCreate(ctx.em, ctx.principal, args.input)),
    productUpdate: async (_: unknown, args: { input: ProductUpdate }, ctx: CatalogContext) =>
      payload('product', await productUpdate(ctx.em, ctx.principal, args.input)),
    productArchive: async (_: unknown, args: { input: { id: string } }, ctx: CatalogContext) =>
      payload('product', await productArchive(ctx.em, ctx.principal, args.input.id)),
  },
};
