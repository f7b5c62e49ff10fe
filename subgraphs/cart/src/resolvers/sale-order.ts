import { payload } from '@dcrm/kit';
import { orderPlaceForSale } from '../domain/sale-order.js';
import type { CartResolvers } from './context.js';

/** Mutation.orderPlaceForSale (service-only) and Order.source. */
export const saleOrderResolvers: CartResolvers = {
  Mutation: {
    orderPlaceForSale: async (_, { input }, ctx) =>
      payload('order', await orderPlaceForSale({ em: ctx.em, principal: ctx.principal, services: ctx.services }, input)),
  },
  Order: {
    source: (o) => (o.sourceKind && o.sourceId ? { kind: o.sourceKind, id: o.sourceId } : null),
  },
};
