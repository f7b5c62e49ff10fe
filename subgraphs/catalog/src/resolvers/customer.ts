import type { Resolvers } from '@dcrm/kit';
import { PriceList } from '../entities/index.js';
import type { CatalogContext } from './context.js';

/**
 * Catalog's part of the 360° view. The customer subgraph decides who may reach an account; catalog
 * only reveals the price list of the caller's own storefront.
 */
export const customerResolvers: Resolvers = {
  Customer: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    negotiatedPriceList: (c: { id: string }, _: unknown, ctx: CatalogContext) =>
      ctx.principal.storefrontId ? ctx.em.findOne(PriceList, { customerId: c.id, storefront: ctx.principal.storefrontId }) : null,
  },
};
