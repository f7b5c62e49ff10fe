/** The promotion subgraph as the cart asks it (kit `promotion-client.ts`, shared with quotes). */
export {
  type CartDiscount,
  type CartEvaluation,
  type CodeProblem,
  type EvaluationInput,
  MAX_EVALUATIONS,
  type PromotionClient,
  promotionClient,
  type Redemption,
} from '@dcrm/kit';
