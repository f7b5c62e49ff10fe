import { payload } from '@dcrm/kit';
import { evaluateCarts } from '../domain/evaluation.js';
import { promotionRedeem, promotionRelease } from '../domain/redemption.js';
import type { PromotionResolvers } from './context.js';

/** Cart subgraph only: Query.promotionEvaluate, Mutation.promotionRedeem/promotionRelease (service principals, per `@access`). */
export const evaluationResolvers: PromotionResolvers = {
  Query: {
    promotionEvaluate: (_, { inputs }, ctx) => evaluateCarts(ctx.em, ctx.services, ctx.principal, inputs),
  },
  Mutation: {
    promotionRedeem: async (_, { input }, ctx) => payload('evaluation', await promotionRedeem(ctx.em, ctx.services, ctx.principal, input)),
    promotionRelease: (_, { input }, ctx) => promotionRelease(ctx.em, ctx.principal, input.idempotencyKey),
  },
};
