import { isUuid, payload } from '@dcrm/kit';
import { opportunityConvert } from '../domain/convert.js';
import { opportunityLineAdd, opportunityLineRemove } from '../domain/opportunity-write.js';
import type { OpportunityResolvers } from './context.js';

/** Opportunity lines, conversion to an order, Opportunity.order and Order.opportunity. */
export const saleOrderResolvers: OpportunityResolvers = {
  Mutation: {
    opportunityLineAdd: async (_, { input }, ctx) =>
      payload('opportunity', await opportunityLineAdd(ctx.em, ctx.services, ctx.principal, { ...input, quantity: input.quantity ?? 1 })),
    opportunityLineRemove: async (_, { input }, ctx) =>
      payload('opportunity', await opportunityLineRemove(ctx.em, ctx.principal, input.lineId)),
    opportunityConvert: async (_, { id, idempotencyKey }, ctx) =>
      payload('opportunity', await opportunityConvert(ctx.em, ctx.services, ctx.principal, id, idempotencyKey)),
  },
  Opportunity: {
    lines: (o, _, ctx) => ctx.loaders.opportunityLines.load(o.id),
    order: (o) => (o.orderId ? { id: o.orderId } : null),
  },
  OpportunityLine: {
    product: (l) => ({ id: l.productId }),
  },
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    opportunity: (o, _, ctx) => (isUuid(o.id) ? ctx.loaders.orderOpportunity.load(o.id) : null),
  },
};
