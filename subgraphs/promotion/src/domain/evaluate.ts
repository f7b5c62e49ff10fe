/**
 * Promotion evaluation: which promotions apply to a cart, for how much, and why typed coupons did not.
 * Pure (no I/O, no clock: `context.now`); money is exact, in integer minor units.
 *
 * - Only `active` promotions count; an inactive one is invisible (its code reads as unknown).
 * - Order: priority desc, then id asc. Checks per promotion, first failure wins: DATE_WINDOW
 *   (NOT_STARTED: now < from; EXPIRED: now >= to; unparsable date: INELIGIBLE), usage limit (EXHAUSTED),
 *   per-customer limit (CUSTOMER_LIMIT; INELIGIBLE without a customer), other conditions, all AND (INELIGIBLE),
 *   coupon, stacking (NOT_COMBINABLE), then a zero discount (nothing left to discount: INELIGIBLE).
 * - Coupons: a promotion with a code applies only when the code is typed (trimmed, case-insensitive).
 *   Rejections are reported only for typed codes; automatic promotions that fail are skipped silently.
 *   A coupon promotion that passes every check but whose code was not typed yields COUPON_REQUIRED
 *   with `couponCode: null` (the code itself is never disclosed).
 * - Stacking: the first applied promotion decides. If it is EXCLUSIVE, every later one is NOT_COMBINABLE;
 *   otherwise COMBINABLE ones stack and later EXCLUSIVE ones are NOT_COMBINABLE.
 * - Actions work on what remains of each line (unit × quantity, per one-off / recurring) after earlier
 *   discounts, so no line and no total goes negative. PERCENT_OFF is a percentage of the remainder
 *   (stacked percents compound), rounded half-up per line. AMOUNT_OFF and BUNDLE_PRICE spread their discount
 *   over lines in cart order. FIXED_PRICE sets the unit price of matching lines (never raises it). FREE_ADDON
 *   needs the add-on under a parent line in the cart. BUNDLE_PRICE prices min-quantity complete bundles.
 * - Messages: the first of `context.locales` (request locale, its language, the storefront's locale, its
 *   language) with a template, else messages.en, else the name; {{percent}},
 *   {{amount}}, {{months}}, {{product}} come from the first action (missing values render empty).
 * - Evaluation totals are the summed discounts (one-off, recurring), not cart totals. Each discount also
 *   says what it took from each line (`lines`), so the cart can tax every line on what remains of it.
 */
import { fromMinor, toMinor } from '@dcrm/kit';
import type { Action, CartLineInput, Condition, Evaluation, EvaluationContext, Promotion, RejectionCode } from './promotion.types.js';

export type * from './promotion.types.js';

type Side = 'oneOff' | 'recurring';
type Amounts = Record<Side, number>[];

// Percent kept to 1/10 000 of a percent and applied in BigInt: exact half-up rounding, no float drift.
function percentOf(minor: number, percent: number): number {
  const scaled = Number.isFinite(percent) ? Math.round(Math.min(Math.max(percent, 0), 100) * 10_000) : 0;
  return Number((BigInt(minor) * BigInt(scaled) + 500_000n) / 1_000_000n);
}

const normalizeCode = (code: string): string => code.trim().toLowerCase();
const quantityOf = (line: CartLineInput): number => Math.max(0, Math.trunc(line.quantity));
const sidesOf = (target: 'ONE_OFF' | 'RECURRING' | 'BOTH'): Side[] =>
  target === 'BOTH' ? ['oneOff', 'recurring'] : [target === 'ONE_OFF' ? 'oneOff' : 'recurring'];

function subtotal(lines: CartLineInput[], side: Side): number {
  const unit = (line: CartLineInput) => (side === 'oneOff' ? line.unitOneOff : line.unitRecurring);
  return lines.reduce((sum, line) => sum + toMinor(unit(line) ?? '0') * quantityOf(line), 0);
}

function windowProblem(conditions: Condition[], now: number): RejectionCode | null {
  for (const condition of conditions) {
    if (condition.type !== 'DATE_WINDOW') continue;
    const from = condition.from === undefined ? null : Date.parse(condition.from);
    const to = condition.to === undefined ? null : Date.parse(condition.to);
    if (Number.isNaN(from) || Number.isNaN(to)) return 'INELIGIBLE'; // a broken window fails closed
    if (from !== null && now < from) return 'NOT_STARTED';
    if (to !== null && now >= to) return 'EXPIRED';
  }
  return null;
}

function holds(condition: Condition, lines: CartLineInput[], context: EvaluationContext): boolean {
  const customer = context.customer;
  switch (condition.type) {
    case 'STOREFRONT':
      return condition.storefrontIds.includes(context.storefrontId);
    case 'SEGMENT':
      return customer !== null && condition.segments.includes(customer.segment);
    case 'CUSTOMER_CATEGORY':
      return customer !== null && condition.categories.includes(customer.category);
    case 'GEOGRAPHY': {
      if (!customer) return false;
      const upper = (values: string[]) => values.map((value) => value.toUpperCase());
      const country = !condition.countries?.length || upper(condition.countries).includes((customer.country ?? '').toUpperCase());
      const region = !condition.regions?.length || (customer.region !== null && condition.regions.includes(customer.region));
      return country && region;
    }
    case 'CHANNEL':
      return condition.channels.includes(context.channel);
    case 'PRODUCTS_IN_CART': {
      // Any of the listed products, counted together: "at least 2 of these handsets".
      const count = lines.filter((line) => condition.productIds.includes(line.productId)).reduce((sum, line) => sum + quantityOf(line), 0);
      return count >= Math.max(1, condition.minQuantity ?? 1);
    }
    case 'CATEGORIES_IN_CART':
      return lines.some((line) => line.categoryId !== null && quantityOf(line) > 0 && condition.categoryIds.includes(line.categoryId));
    case 'MIN_SUBTOTAL': // before any discount, so the order of promotions cannot change eligibility
      return subtotal(lines, condition.basis === 'ONE_OFF' ? 'oneOff' : 'recurring') >= toMinor(condition.amount);
    case 'FIRST_ORDER':
      return customer?.isFirstOrder === true;
    case 'DATE_WINDOW':
      return true; // checked first by windowProblem, for its specific codes
  }
}

function eligibilityProblem(promotion: Promotion, lines: CartLineInput[], context: EvaluationContext): RejectionCode | null {
  const window = windowProblem(promotion.conditions, context.now.getTime());
  if (window) return window;
  if (promotion.usageLimit !== null && (context.usage.total[promotion.id] ?? 0) >= promotion.usageLimit) return 'EXHAUSTED';
  if (promotion.perCustomerLimit !== null) {
    if (!context.customer) return 'INELIGIBLE'; // a per-customer limit cannot be enforced for an anonymous cart
    if ((context.usage.byCustomer[promotion.id] ?? 0) >= promotion.perCustomerLimit) return 'CUSTOMER_LIMIT';
  }
  return promotion.conditions.every((condition) => holds(condition, lines, context)) ? null : 'INELIGIBLE';
}

/** Applies one action to `left` (what remains per line), recording what it took in `taken`. */
function applyAction(action: Action, lines: CartLineInput[], left: Amounts, taken: Amounts): void {
  const take = (index: number, side: Side, amount: number): number => {
    const amountTaken = Math.min(Math.max(amount, 0), left[index][side]);
    left[index][side] -= amountTaken;
    taken[index][side] += amountTaken;
    return amountTaken;
  };
  const spread = (indexes: number[], side: Side, amount: number) => {
    let rest = Math.max(amount, 0);
    for (const index of indexes) rest -= take(index, side, rest);
  };
  const indexesWhere = (match: (line: CartLineInput) => boolean) => lines.flatMap((line, index) => (match(line) ? [index] : []));
  switch (action.type) {
    case 'PERCENT_OFF': {
      const only = action.productIds?.length ? action.productIds : null;
      for (const index of indexesWhere((line) => only === null || only.includes(line.productId))) {
        for (const side of sidesOf(action.target)) take(index, side, percentOf(left[index][side], action.percent));
      }
      return;
    }
    case 'AMOUNT_OFF':
      spread([...lines.keys()], sidesOf(action.target)[0], toMinor(action.amount));
      return;
    case 'FIXED_PRICE': {
      const [side] = sidesOf(action.target);
      const price = toMinor(action.price);
      for (const index of indexesWhere((line) => line.productId === action.productId)) {
        take(index, side, left[index][side] - price * quantityOf(lines[index]));
      }
      return;
    }
    case 'FREE_ADDON': {
      const lineIds = new Set(lines.map((line) => line.lineId));
      const addons = indexesWhere(
        (line) => line.productId === action.addonProductId && line.parentLineId !== null && lineIds.has(line.parentLineId),
      );
      for (const index of addons) for (const side of sidesOf('BOTH')) take(index, side, left[index][side]);
      return;
    }
    case 'BUNDLE_PRICE': {
      const [side] = sidesOf(action.target);
      const productIds = [...new Set(action.productIds)];
      const perProduct = productIds.map((productId) => {
        const indexes = indexesWhere((line) => line.productId === productId);
        const quantity = indexes.reduce((sum, index) => sum + quantityOf(lines[index]), 0);
        return { indexes, quantity, value: indexes.reduce((sum, index) => sum + left[index][side], 0) };
      });
      const bundles = productIds.length ? Math.min(...perProduct.map((product) => product.quantity)) : 0;
      if (bundles === 0) return;
      // Value of the units that form complete bundles; surplus units keep their price.
      const bundled = perProduct.reduce((sum, product) => sum + Math.round((product.value * bundles) / product.quantity), 0);
      const indexes = perProduct.flatMap((product) => product.indexes).sort((a, b) => a - b);
      spread(indexes, side, bundled - toMinor(action.price) * bundles);
      return;
    }
  }
}

function message(promotion: Promotion, locales: readonly string[]): string {
  const messages = promotion.messages;
  const found = locales.find((l) => messages[l] !== undefined);
  const template = (found && messages[found]) ?? messages['en'] ?? promotion.name;
  const action = promotion.actions[0];
  const values: Record<string, string | undefined> = {};
  if (action?.type === 'PERCENT_OFF') {
    Object.assign(values, { percent: String(action.percent), months: action.months?.toString(), product: action.productIds?.[0] });
  } else if (action?.type === 'AMOUNT_OFF') values.amount = fromMinor(toMinor(action.amount));
  else if (action?.type === 'FIXED_PRICE') Object.assign(values, { amount: fromMinor(toMinor(action.price)), product: action.productId });
  else if (action?.type === 'FREE_ADDON') values.product = action.addonProductId;
  else if (action?.type === 'BUNDLE_PRICE')
    Object.assign(values, { amount: fromMinor(toMinor(action.price)), product: action.productIds.join(', ') });
  return template.replace(/\{\{\s*(percent|amount|months|product)\s*\}\}/g, (_, key: string) => values[key] ?? '');
}

export function evaluate(promotions: Promotion[], lines: CartLineInput[], context: EvaluationContext): Evaluation {
  const typed = new Set(context.couponCodes.map(normalizeCode).filter((code) => code !== ''));
  const ordered = promotions
    .filter((promotion) => promotion.active)
    .sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let left: Amounts = lines.map((line) => ({
    oneOff: toMinor(line.unitOneOff ?? '0') * quantityOf(line),
    recurring: toMinor(line.unitRecurring ?? '0') * quantityOf(line),
  }));
  const discounts: Evaluation['discounts'] = [];
  const rejections: Evaluation['rejections'] = [];
  let exclusiveApplied = false;

  for (const promotion of ordered) {
    const code = promotion.couponCode?.trim() ? promotion.couponCode : null;
    const wasTyped = code !== null && typed.has(normalizeCode(code));
    const reject = (problem: RejectionCode) => {
      if (wasTyped) rejections.push({ promotionId: promotion.id, code: problem, couponCode: code });
    };
    const problem = eligibilityProblem(promotion, lines, context);
    if (code !== null && !wasTyped) {
      if (!problem) rejections.push({ promotionId: promotion.id, code: 'COUPON_REQUIRED', couponCode: null });
      continue;
    }
    if (problem) {
      reject(problem);
      continue;
    }
    if (discounts.length > 0 && (exclusiveApplied || promotion.stacking === 'EXCLUSIVE')) {
      reject('NOT_COMBINABLE');
      continue;
    }
    // Work on a copy so a promotion that ends up discounting nothing leaves no trace.
    const trial = left.map((amounts) => ({ ...amounts }));
    const taken: Amounts = lines.map(() => ({ oneOff: 0, recurring: 0 }));
    for (const action of promotion.actions) applyAction(action, lines, trial, taken);
    const oneOff = taken.reduce((sum, amounts) => sum + amounts.oneOff, 0);
    const recurring = taken.reduce((sum, amounts) => sum + amounts.recurring, 0);
    if (oneOff + recurring === 0) {
      reject('INELIGIBLE');
      continue;
    }
    left = trial;
    exclusiveApplied = promotion.stacking === 'EXCLUSIVE';
    discounts.push({
      promotionId: promotion.id,
      name: promotion.name,
      message: message(promotion, context.locales),
      oneOff: fromMinor(oneOff),
      recurring: fromMinor(recurring),
      lineIds: lines.filter((_, index) => taken[index].oneOff + taken[index].recurring > 0).map((line) => line.lineId),
      lines: lines.flatMap((line, index) =>
        taken[index].oneOff + taken[index].recurring > 0
          ? [{ lineId: line.lineId, oneOff: fromMinor(taken[index].oneOff), recurring: fromMinor(taken[index].recurring) }]
          : [],
      ),
      couponCode: code,
    });
  }
  const total = (side: 'oneOff' | 'recurring') => fromMinor(discounts.reduce((sum, discount) => sum + toMinor(discount[side]), 0));
  return { discounts, totalOneOff: total('oneOff'), totalRecurring: total('recurring'), rejections };
}

/** Why a code the customer typed did not apply: null when it applied, UNKNOWN_CODE when no active promotion has it. */
export function couponProblem(evaluation: Evaluation, code: string): RejectionCode | 'UNKNOWN_CODE' | null {
  const wanted = normalizeCode(code);
  const matches = (candidate: string | null) => wanted !== '' && candidate !== null && normalizeCode(candidate) === wanted;
  if (evaluation.discounts.some((discount) => matches(discount.couponCode))) return null;
  return evaluation.rejections.find((rejection) => matches(rejection.couponCode))?.code ?? 'UNKNOWN_CODE';
}

export type CodeProblem = RejectionCode | 'UNKNOWN_CODE' | 'COUPON_REQUIRES_SIGN_IN';

/**
 * One answer per typed code (trimmed, case-insensitive duplicates once), as the cart shows them:
 * a per-customer-limited code on an anonymous cart reads COUPON_REQUIRES_SIGN_IN (signing in fixes it).
 */
export function codeProblems(
  evaluation: Evaluation,
  promotions: Promotion[],
  context: Pick<EvaluationContext, 'couponCodes' | 'customer'>,
): { code: string; problem: CodeProblem | null }[] {
  const seen = new Set<string>();
  const answers: { code: string; problem: CodeProblem | null }[] = [];
  for (const code of context.couponCodes) {
    const normalized = normalizeCode(code);
    if (normalized === '' || seen.has(normalized)) continue;
    seen.add(normalized);
    let problem: CodeProblem | null = couponProblem(evaluation, code);
    const promotion = promotions.find((p) => p.active && p.couponCode !== null && normalizeCode(p.couponCode) === normalized);
    if (problem === 'INELIGIBLE' && !context.customer && promotion?.perCustomerLimit != null) problem = 'COUPON_REQUIRES_SIGN_IN';
    answers.push({ code, problem });
  }
  return answers;
}
