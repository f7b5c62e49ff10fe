import type { Resolvers } from '@dcrm/kit';

/** Cart subgraph only: Query.promotionEvaluate, Mutation.promotionRedeem/promotionRelease. */
export const evaluationResolvers: Resolvers = {};
