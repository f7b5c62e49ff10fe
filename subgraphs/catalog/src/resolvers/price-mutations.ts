import { ACCOUNT_PRICE_LIST_CREATED, type AccountPriceListCreated, loggerFor, payload } from '@dcrm/kit';
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
    priceListCreate: async (_, { input }, ctx) => {
      // The account must be one the caller sees in that storefront.
      const created = await priceListCreate(ctx.em, ctx.principal, input, (storefrontId, customerId) =>
        customerVisible(ctx.services.peers, ctx.principal, storefrontId, customerId),
      );
      if (created.ok && created.value.customerId) {
        // Routers' live offers price this account on its own from now on (the list is committed already).
        const event: AccountPriceListCreated = {
          storefrontId: input.storefrontId,
          customerId: created.value.customerId,
          priceListId: created.value.id,
        };
        await ctx.services.bus
          .publish(ACCOUNT_PRICE_LIST_CREATED, event)
          .catch((error: unknown) => loggerFor('catalog').warn({ err: error }, 'account price list event not published'));
      }
      return payload('priceList', created);
    },
  },
};
