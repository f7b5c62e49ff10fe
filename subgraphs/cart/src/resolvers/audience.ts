import { actingStorefront, badInput, isUuid } from '@dcrm/kit';
import { customersHolding } from '../entities/index.js';
import type { CartResolvers } from './context.js';

const MAX_CUSTOMERS = 1000;
const MAX_PRODUCTS = 250;

/** Service-only: "products held" for the promotion subgraph's campaign audiences. */
export const audienceResolvers: CartResolvers = {
  Query: {
    customersHolding: async (_, args, ctx) => {
      if (args.customerIds.length > MAX_CUSTOMERS) throw badInput(`At most ${MAX_CUSTOMERS} customers`, 'customerIds');
      if (args.productIds.length > MAX_PRODUCTS) throw badInput(`At most ${MAX_PRODUCTS} products`, 'productIds');
      if (![...args.customerIds, ...args.productIds].every(isUuid)) throw badInput('Not a valid id');
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId || args.customerIds.length === 0 || args.productIds.length === 0) return [];
      return customersHolding(ctx.em, storefrontId, args.customerIds, args.productIds);
    },
  },
};
