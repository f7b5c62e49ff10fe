import { asPromoProblem, fail, ok, type PromoProblem } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CartEvaluation, EvaluationInput, Redemption } from '../clients/promotions.js';
import type { ICart } from '../entities/index.js';
import type { Result } from './cart.errors.js';
import type { PricedCartLine } from './pricing.js';

export const NO_EVALUATION: CartEvaluation = { discounts: [], codeProblems: [] };

/** The buyer side of an evaluation: whether this is their first order, and the storefront's locale for messages. */
export type Buyer = { isFirstOrder: boolean; locale: string | null };
/** Per request (the cart's loaders): one order lookup per customer and one locale read, however often asked. */
export type BuyerLookup = (customerId: string | null) => Promise<Buyer>;

export const MAX_PROMO_CODES = 5;
const CODE = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;

/** Codes are kept trimmed and upper-case (the promotion subgraph compares them case-insensitively). */
export const normalizeCode = (code: string): string => code.trim().toUpperCase();
export const isCode = (code: string): boolean => CODE.test(code);

/** The evaluation input for a cart's priced lines (see `priceLines`: lines no longer sold count for nothing). */
export function evaluationInput(
  cart: Pick<ICart, 'customerId' | 'channel' | 'promoCodes'>,
  lines: PricedCartLine[],
  options: { isFirstOrder: boolean; locale: string | null; couponCodes?: string[] },
): EvaluationInput {
  return {
    customerId: cart.customerId ?? null,
    channel: cart.channel,
    couponCodes: options.couponCodes ?? cart.promoCodes,
    isFirstOrder: options.isFirstOrder,
    locale: options.locale,
    lines: lines.map((line) => ({
      lineId: line.lineId,
      productId: line.productId,
      categoryId: line.categoryId,
      kind: line.kind,
      quantity: line.quantity,
      unitRecurring: line.recurring,
      unitOneOff: line.oneOff,
      parentLineId: line.parentLineId,
    })),
  };
}

/** Has the customer a non-cancelled order in this storefront? (First-order promotions.) */
export async function customersWithOrders(em: EntityManager, storefrontId: string, customerIds: string[]): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const rows = await em.execute(
    `select distinct customer_id from "cart"."customer_order" where storefront_id = ? and customer_id in (?) and status in ('PLACED', 'PROVISIONING', 'ACTIVE')`,
    [storefrontId, customerIds],
  );
  return new Set(rows.map((r) => r.customer_id as string));
}

const PROBLEMS: Record<PromoProblem, string> = {
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
  `The code ${code} ${Object.hasOwn(PROBLEMS, problem) ? PROBLEMS[problem as PromoProblem] : `cannot be used (${problem})`}`;

/** A typed code's problem as a userError on `input.code`. */
export function codeRefused(code: string, problem: string): Result<never> {
  return fail(asPromoProblem(problem), codeMessage(code, problem), ['input', 'code']);
}

/**
 * The checkout's redemption as a result: a code on the cart that no longer applies refuses the checkout
 * (its problem on `input.cart`, the code found by its index in `couponCodes`), nothing reserved.
 */
export function redeemed(redemption: Redemption, couponCodes: string[]): Result<CartEvaluation> {
  if (redemption.userErrors.length || !redemption.evaluation) {
    return {
      ok: false,
      errors: redemption.userErrors.map((e) => {
        const code = couponCodes[Number(e.field?.at(-1))] ?? '';
        return { code: asPromoProblem(e.code), message: codeMessage(code, e.code), field: ['input', 'cart'] };
      }),
    };
  }
  return ok(redemption.evaluation);
}
