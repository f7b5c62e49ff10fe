import { payload } from '@dcrm/kit';
import { customerVisible } from '../clients/customers.js';
import { priceListCreate, priceSet } from '../domain/price-write.js';
import { requireStorefront } from '../domain/visibility.js';
import { PriceList } from '../entities/index.js';
import type { CatalogResolvers } from './context.js';

export const priceResolvers: CatalogResolvers = {
  Query: {
    priceLists: (_, __, ctx) => ctx.em.find(PriceList, { storefront: requireStorefront(ctx.principal) }, { orderBy: { createdAt: 'asc' } }),
  },
  Mutation: {
    priceSet: async (_, { input }, ctx) => payload('price', await priceSet(ctx.em, ctx.principal, input)),
    priceListCreate: async (_, { input }, ctx) =>
      payload(
        'priceList',
        // The account must be one the caller sees in that storefront.
        await priceListCreate(ctx.em, ctx.principal, input, (storefrontId, customerId) =>
          customerVisible(ctx.services.peers, ctx.principal, storefrontId, customerId),
        ),
      ),
  },
};
