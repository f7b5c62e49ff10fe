import {
  answerError,
  fail,
  ok,
  type Peers,
  type Principal,
  type Result,
  SERVICE_SCOPES,
  type ServiceScope,
  servicePrincipal,
  type UserError,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppliedDiscount } from '../domain/totals.js';
import type { ICart, ICartLine } from '../entities/index.js';
import { type CatalogProduct, sold } from './catalog.js';

/** A promotion applied to a cart, with its per-line breakdown (tax-exclusive). */
export type CartDiscount = AppliedDiscount & { lines: { lineId: string; oneOff: string; recurring: string }[] };
export type CodeProblem = { code: string; problem: string | null };
export type CartEvaluation = { discounts: CartDiscount[]; codeProblems: CodeProblem[] };

export const NO_EVALUATION: CartEvaluation = { discounts: [], codeProblems: [] };

/** The buyer side of an evaluation: whether this is their first order, and the storefront's locale for messages. */
export type Buyer = { isFirstOrder: boolean; locale: string | null };
/** Per request (the cart's loaders): one order lookup per customer and one locale read, however often asked. */
export type BuyerLookup = (customerId: string | null) => Promise<Buyer>;

/** What the promotion subgraph takes (its `PromotionEvaluateInput`): catalog prices only. */
export type EvaluationInput = {
  customerId: string | null;
  channel: ICart['channel'];
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

export const MAX_PROMO_CODES = 5;
/** The promotion subgraph evaluates at most this many carts per call. */
export const MAX_EVALUATIONS = 100;
const CODE = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;

/** Codes are kept trimmed and upper-case (the promotion subgraph compares them case-insensitively). */
export const normalizeCode = (code: string): string => code.trim().toUpperCase();
export const isCode = (code: string): boolean => CODE.test(code);

/** The evaluation input for a cart's lines as the catalog prices them now; unavailable lines count for nothing. */
export function evaluationInput(
  cart: Pick<ICart, 'customerId' | 'channel' | 'promoCodes'>,
  lines: Pick<ICartLine, 'id' | 'productId' | 'quantity' | 'parentLineId'>[],
  products: (CatalogProduct | null | undefined)[],
  options: { isFirstOrder: boolean; locale: string | null; couponCodes?: string[] },
): EvaluationInput {
  return {
    customerId: cart.customerId ?? null,
    channel: cart.channel,
    couponCodes: options.couponCodes ?? cart.promoCodes,
    isFirstOrder: options.isFirstOrder,
    locale: options.locale,
    lines: lines.flatMap((line, i) => {
      const product = products[i];
      return sold(product)
        ? [
            {
              lineId: line.id,
              productId: line.productId,
              categoryId: product.categoryId,
              kind: product.kind,
              quantity: line.quantity,
              unitRecurring: product.recurring,
              unitOneOff: product.oneOff,
              parentLineId: line.parentLineId ?? null,
            },
          ]
        : [];
    }),
  };
}

/** Has the customer a non-cancelled order in this storefront? (First-order promotions.) */
export async function customersWithOrders(em: EntityManager, storefrontId: string, customerIds: string[]): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const rows = await em.execute(
    `select distinct customer_id from "cart"."customer_order" where storefront_id = ? and customer_id in (?) and status <> 'CANCELLED'`,
    [storefrontId, customerIds],
  );
  return new Set(rows.map((r) => r.customer_id as string));
}

const EVALUATION = `discounts { promotionId name message oneOff recurring lineIds lines { lineId oneOff recurring } couponCode }
  codeProblems { code problem }`;
const EVALUATE = `query Evaluate($inputs: [PromotionEvaluateInput!]!) { promotionEvaluate(inputs: $inputs) { ${EVALUATION} } }`;
const REDEEM = `mutation Redeem($input: PromotionRedeemInput!) { promotionRedeem(input: $input) {
  evaluation { ${EVALUATION} } userErrors { code message field } } }`;
const RELEASE = 'mutation Release($input: PromotionReleaseInput!) { promotionRelease(input: $input) }';
const LOCALE = '{ storefront { locale } }';

/** The promotion subgraph as the cart uses it: always as the cart's service principal for the cart's storefront. */
export type PromotionClient = {
  evaluate(storefrontId: string, input: EvaluationInput): Promise<CartEvaluation>;
  /** Carts of one storefront in one call (at most MAX_EVALUATIONS), in input order. */
  evaluateAll(storefrontId: string, inputs: EvaluationInput[]): Promise<CartEvaluation[]>;
  /** The checkout's authoritative evaluation; a typed code that no longer applies is an error, nothing reserved. */
  redeem(storefrontId: string, idempotencyKey: string, input: EvaluationInput): Promise<Result<CartEvaluation>>;
  release(storefrontId: string, idempotencyKey: string): Promise<void>;
};

export function promotionClient(peers: Peers): PromotionClient {
  const run = async (storefrontId: string, query: string, variables: Record<string, unknown>, scope: ServiceScope) => {
    const response = await peers('promotion').execute({ query, variables }, servicePrincipal('cart', storefrontId, [scope]));
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
    redeem: async (storefrontId, idempotencyKey, input) => {
      const data = (await run(storefrontId, REDEEM, { input: { idempotencyKey, evaluation: input } }, SERVICE_SCOPES.promotionRedeem))
        .promotionRedeem as {
        evaluation: CartEvaluation | null;
        userErrors: UserError[];
      };
      if (data.userErrors.length || !data.evaluation) {
        const codes = input.couponCodes;
        return {
          ok: false,
          errors: data.userErrors.map((e) => {
            const code = codes[Number(e.field?.at(-1))] ?? '';
            return { code: e.code, message: codeMessage(code, e.code), field: ['input', 'cart'] };
          }),
        };
      }
      return ok(data.evaluation);
    },
    release: async (storefrontId, idempotencyKey) => {
      await run(storefrontId, RELEASE, { input: { idempotencyKey } }, SERVICE_SCOPES.promotionRedeem);
    },
  };
}

/** The storefront's locale for promotion messages (the catalog knows it); null when it cannot be read. */
export async function storefrontLocale(peers: Peers, principal: Principal): Promise<string | null> {
  const response = await peers('catalog')
    .execute({ query: LOCALE }, principal)
    .catch(() => null);
  return (response?.data?.storefront as { locale?: string } | null)?.locale ?? null;
}

const PROBLEMS: Record<string, string> = {
  EXPIRED: 'has expired',
  NOT_STARTED: 'is not valid yet',
  EXHAUSTED: 'has been used up',
  CUSTOMER_LIMIT: 'was already used as often as allowed on this account',
  INELIGIBLE: 'does not apply to this cart',
  NOT_COMBINABLE: 'cannot be combined with the other promotions in this cart',
  UNKNOWN_CODE: 'is not a valid code',
  COUPON_REQUIRES_SIGN_IN: 'needs you to sign in first',
};

export const codeMessage = (code: string, problem: string): string =>
  `The code ${code} ${PROBLEMS[problem] ?? `cannot be used (${problem})`}`;

/** A typed code's problem as a userError on `input.code`. */
export function codeRefused(code: string, problem: string): Result<never> {
  return fail(problem, codeMessage(code, problem), ['input', 'code']);
}
