import { PriceList } from '../entities/index.js';
import type { CatalogResolvers } from './context.js';

/**
 * Catalog's part of the 360° view. The customer subgraph decides who may reach an account; catalog
 * only reveals the price list of the caller's own storefront.
 */
export const customerResolvers: CatalogResolvers = {
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    negotiatedPriceList: (c, _, ctx) =>
      ctx.principal.storefrontId ? ctx.em.findOne(PriceList, { customerId: c.id, storefront: ctx.principal.storefrontId }) : null,
  },
};
