import { taxDisplayFor } from '@dcrm/kit';
import type { CatalogResolvers } from './context.js';

export const storefrontResolvers: CatalogResolvers = {
  Query: {
    storefront: (_, __, ctx) => (ctx.principal.storefrontId ? ctx.loaders.storefront.load(ctx.principal.storefrontId) : null),
  },
  Storefront: {
    __resolveReference: (ref, ctx) => ctx.loaders.storefront.load(ref.id),
    taxDisplay: (_, __, ctx) => taxDisplayFor(ctx.principal),
  },
};
