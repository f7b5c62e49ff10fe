import { payload, type Resolvers } from '@dcrm/kit';
import { type EvaluateInput, evaluateCarts } from '../domain/evaluation.js';
import { promotionRedeem, promotionRelease, type RedeemInput } from '../domain/redemption.js';
import type { PromotionContext } from './context.js';

/** Cart subgraph only: Query.promotionEvaluate, Mutation.promotionRedeem/promotionRelease (service principals, per `@access`). */
export const evaluationResolvers: Resolvers = {
  Query: {
    promotionEvaluate: (_: unknown, { inputs }: { inputs: EvaluateInput[] }, ctx: PromotionContext) =>
      evaluateCarts(ctx.em, ctx.services, ctx.principal, inputs),
  },
  Mutation: {
    promotionRedeem: async (_: unknown, { input }: { input: RedeemInput }, ctx: PromotionContext) =>
      payload('evaluation', await promotionRedeem(ctx.em, ctx.services, ctx.principal, input)),
    promotionRelease: (_: unknown, { input }: { input: { idempotencyKey: string } }, ctx: PromotionContext) =>
      promotionRelease(ctx.em, ctx.principal, input.idempotencyKey),
  },
};
