import { actingStorefront, badInput, isUuid, type Resolvers } from '@dcrm/kit';
import type { CartContext } from './context.js';

const MAX_CUSTOMERS = 1000;
const MAX_PRODUCTS = 250;

/** Service-only: "products held" for the promotion subgraph's campaign audiences. */
export const audienceResolvers: Resolvers = {
  Query: {
    customersHolding: async (_: unknown, args: { customerIds: string[]; productIds: string[] }, ctx: CartContext) => {
      if (args.customerIds.length > MAX_CUSTOMERS) throw badInput(`At most ${MAX_CUSTOMERS} customers`, 'customerIds');
      if (args.productIds.length > MAX_PRODUCTS) throw badInput(`At most ${MAX_PRODUCTS} products`, 'productIds');
      if (![...args.customerIds, ...args.productIds].every(isUuid)) throw badInput('Not a valid id');
      const storefrontId = actingStorefront(ctx.principal);
      if (!storefrontId || args.customerIds.length === 0 || args.productIds.length === 0) return [];
      const rows = await ctx.em.execute(
        `select distinct o.customer_id from "cart"."customer_order" o
         where o.storefront_id = ? and o.status <> 'CANCELLED'
           and o.customer_id in (select jsonb_array_elements_text(?::jsonb)::uuid)
           and exists (select 1 from "cart"."order_line" l where l.order_id = o.id and l.product_id in (select jsonb_array_elements_text(?::jsonb)::uuid))`,
        [storefrontId, JSON.stringify(args.customerIds), JSON.stringify(args.productIds)],
      );
      return rows.map((r) => r.customer_id as string);
    },
  },
};
