import { isUuid, payload } from '@dcrm/kit';
import { opportunityConvert } from '../domain/convert.js';
import type { OpportunityResolvers } from './context.js';

/** Conversion to an order, Opportunity.order and Order.opportunity (the lines are the pipeline's). */
export const saleOrderResolvers: OpportunityResolvers = {
  Mutation: {
    opportunityConvert: async (_, { id, idempotencyKey }, ctx) =>
      payload('opportunity', await opportunityConvert(ctx.em, ctx.services, ctx.principal, id, idempotencyKey)),
  },
  Opportunity: {
    order: (o) => (o.orderId ? { id: o.orderId } : null),
  },
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    opportunity: (o, _, ctx) => (isUuid(o.id) ? ctx.loaders.orderOpportunity.load(o.id) : null),
  },
};
