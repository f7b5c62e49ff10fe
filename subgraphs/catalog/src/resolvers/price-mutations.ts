import { entitiesOf, payload, type Resolvers } from '@dcrm/kit';
import { type PriceListCreateInput, type PriceSetInput, priceListCreate, priceSet } from '../domain/price-write.js';
import { requireStorefront } from '../domain/visibility.js';
import { PriceList } from '../entities/index.js';
import type { CatalogContext } from './context.js';

export const priceResolvers: Resolvers = {
  Query: {
    priceLists: (_: unknown, __: unknown, ctx: CatalogContext) =>
      ctx.em.find(PriceList, { storefront: requireStorefront(ctx.principal) }, { orderBy: { createdAt: 'asc' } }),
  },
  Mutation: {
    priceSet: async (_: unknown, args: { input: PriceSetInput }, ctx: CatalogContext) =>
      payload('price', await priceSet(ctx.em, ctx.principal, args.input)),
    priceListCreate: async (_: unknown, args: { input: PriceListCreateInput }, ctx: CatalogContext) =>
      payload(
        'priceList',
        // The account must be one the caller sees in that storefront: asked of the customer subgraph, as the caller.
        await priceListCreate(ctx.em, ctx.principal, args.input, async (storefrontId, customerId) => {
          const [found] = await entitiesOf(ctx.services.peers('customer'), { ...ctx.principal, storefrontId }, 'Customer', 'id', [
            customerId,
          ]);
          return found !== null;
        }),
      ),
  },
};
