import type { UserError } from './errors.js';
import { SERVICE_SCOPES, type ServiceScope, servicePrincipal } from './principal.js';
import type { Peers } from './subgraph.js';
import { answerError } from './targets.js';
import type { AppliedDiscount } from './totals.js';

/** Where a sale happens (the promotion subgraph's `SalesChannel`). */
export type SalesChannel = 'WEB' | 'APP' | 'CHATBOT' | 'STORE' | 'AGENT';

/** A promotion applied to a cart or a quote, with its per-line breakdown (tax-exclusive decimals). */
export type CartDiscount = AppliedDiscount & {
  lines: { lineId: string; oneOff: string; recurring: string }[];
};
export type CodeProblem = { code: string; problem: string | null };
export type CartEvaluation = { discounts: CartDiscount[]; codeProblems: CodeProblem[] };

/** What the promotion subgraph takes (its `PromotionEvaluateInput`): catalog prices only. */
export type EvaluationInput = {
  customerId: string | null;
  channel: SalesChannel;
  couponCodes: string[];
  isFirstOrder: boolean;
  locale: string | null;
  lines: {
    lineId: string;
    productId: string;
    categoryId: string | null;
    kind: string;
    quantity: number;
    unitRecurring: string | null;
    unitOneOff: string | null;
    parentLineId: string | null;
  }[];
};

/** The checkout's redemption as the promotion subgraph answers it: the evaluation, or why a typed code was refused (nothing reserved). */
export type Redemption = { evaluation: CartEvaluation | null; userErrors: UserError[] };

/** Why the promotion subgraph refuses a promo code; the cart and quote families list each as a code. */
export const PROMO_PROBLEMS = [
  'EXPIRED',
  'NOT_STARTED',
  'EXHAUSTED',
  'CUSTOMER_LIMIT',
  'INELIGIBLE',
  'NOT_COMBINABLE',
  'UNKNOWN_CODE',
  'COUPON_REQUIRES_SIGN_IN',
] as const;
export type PromoProblem = (typeof PROMO_PROBLEMS)[number];

/** A problem as the promotion subgraph answered it; one this version does not know reads INELIGIBLE. */
export const asPromoProblem = (problem: string | null | undefined): PromoProblem =>
  (PROMO_PROBLEMS as readonly string[]).includes(problem ?? '') ? (problem as PromoProblem) : 'INELIGIBLE';

/** The promotion subgraph evaluates at most this many carts per call. */
export const MAX_EVALUATIONS = 100;

const EVALUATION = `discounts { promotionId name message oneOff recurring lineIds lines { lineId oneOff recurring } couponCode }
  codeProblems { code problem }`;
const EVALUATE = `query Evaluate($inputs: [PromotionEvaluateInput!]!) { promotionEvaluate(inputs: $inputs) { ${EVALUATION} } }`;
const REDEEM = `mutation Redeem($input: PromotionRedeemInput!) { promotionRedeem(input: $input) {
  evaluation { ${EVALUATION} } userErrors { code message field } } }`;
const RELEASE = 'mutation Release($input: PromotionReleaseInput!) { promotionRelease(input: $input) }';

/** The promotion subgraph as the cart and the quote subgraph use it: always as the caller's service principal for the document's storefront. */
export type PromotionClient = {
  evaluate(storefrontId: string, input: EvaluationInput): Promise<CartEvaluation>;
  /** Carts of one storefront in one call (at most MAX_EVALUATIONS), in input order. */
  evaluateAll(storefrontId: string, inputs: EvaluationInput[]): Promise<CartEvaluation[]>;
  /** The checkout's authoritative evaluation, reserved under the key (see `redeemed` for its refusals). */
  redeem(storefrontId: string, idempotencyKey: string, input: EvaluationInput): Promise<Redemption>;
  release(storefrontId: string, idempotencyKey: string): Promise<void>;
};

export function promotionClient(peers: Peers, caller = 'cart'): PromotionClient {
  const run = async (storefrontId: string, query: string, variables: Record<string, unknown>, scope: ServiceScope) => {
    const response = await peers('promotion').execute({ query, variables }, servicePrincipal(caller, storefrontId, [scope]));
    if (response.errors?.length || !response.data) throw answerError('promotion', response.errors ?? []);
    return response.data as Record<string, unknown>;
  };
  const evaluateAll = async (storefrontId: string, inputs: EvaluationInput[]) => {
    if (inputs.length === 0) return [];
    const evaluations = (await run(storefrontId, EVALUATE, { inputs }, SERVICE_SCOPES.promotionEvaluate))
      .promotionEvaluate as CartEvaluation[];
    if (evaluations.length !== inputs.length) throw new Error('promotion: one evaluation per cart expected');
    return evaluations;
  };
  return {
    evaluate: async (storefrontId, input) => (await evaluateAll(storefrontId, [input]))[0],
    evaluateAll,
    redeem: async (storefrontId, idempotencyKey, input) =>
      (await run(storefrontId, REDEEM, { input: { idempotencyKey, evaluation: input } }, SERVICE_SCOPES.promotionRedeem))
        .promotionRedeem as Redemption,
    release: async (storefrontId, idempotencyKey) => {
      await run(storefrontId, RELEASE, { input: { idempotencyKey } }, SERVICE_SCOPES.promotionRedeem);
    },
  };
}
