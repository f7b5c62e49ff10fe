import { type AppliedDiscount, computeTotals, fromMinor, type PricedLine, type TotalsData, toMinor, withDiscounts } from '@dcrm/kit';
import type { DiscountType } from '../entities/index.js';

/** A discount as staff grant it: a percentage (0–100, up to two decimals) or an amount in the quote's currency. */
export type Discount = { type: DiscountType; value: string };

/** A quote line as priced by the catalog (tax-exclusive unit prices) with its own discount, if any. */
export type QuoteLineInput = PricedLine & { lineId: string; discountType?: DiscountType | null; discountValue?: string | null };

type Amounts = { oneOff: number; recurring: number };

/** `percent` (a decimal string, e.g. "12.5") of `minor`, rounded half-up to the minor unit. */
export const percentOf = (minor: number, percent: string): number => Math.round((minor * toMinor(percent)) / 10_000);

/**
 * What a discount takes off amounts (minor units), never more than they are. A percentage comes off
 * both the one-off and the monthly amount; an amount comes off the monthly amount when there is one
 * (a plan's price per month), otherwise off the one-off amount.
 */
export function discountOff(amounts: Amounts, discount: Discount | null): Amounts {
  if (!discount) return { oneOff: 0, recurring: 0 };
  if (discount.type === 'PERCENT') {
    return { oneOff: percentOf(amounts.oneOff, discount.value), recurring: percentOf(amounts.recurring, discount.value) };
  }
  const amount = toMinor(discount.value);
  return amounts.recurring > 0
    ? { oneOff: 0, recurring: Math.min(amount, amounts.recurring) }
    : { oneOff: Math.min(amount, amounts.oneOff), recurring: 0 };
}

/**
 * Splits `total` over `weights` in proportion, in whole minor units that add up exactly (largest
 * remainder; ties to the earlier line).
 */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i] += 1;
    left -= 1;
  }
  return shares;
}

/**
 * Each line's manual discounts: its own discount on its amount, then the quote's discount on what the
 * lines have left — a percentage line by line, an amount shared out in proportion to what is left.
 * The result carries `discountOneOff`/`discountRecurring` for kit's `computeTotals` (promotions are
 * added on top with `withDiscounts`). All arithmetic in minor units.
 */
export function lineDiscounts<L extends QuoteLineInput>(
  lines: L[],
  quoteDiscount: Discount | null,
): (L & { discountOneOff: string; discountRecurring: string })[] {
  const own = lines.map((line) => {
    const amounts = {
      oneOff: line.oneOff ? toMinor(line.oneOff) * line.quantity : 0,
      recurring: line.recurring ? toMinor(line.recurring) * line.quantity : 0,
    };
    const discount = line.discountType && line.discountValue != null ? { type: line.discountType, value: line.discountValue } : null;
    const off = discountOff(amounts, discount);
    return { amounts, off, left: { oneOff: amounts.oneOff - off.oneOff, recurring: amounts.recurring - off.recurring } };
  });
  const extra = quoteShares(
    own.map((o) => o.left),
    quoteDiscount,
  );
  return lines.map((line, i) => ({
    ...line,
    discountOneOff: fromMinor(own[i].off.oneOff + extra[i].oneOff),
    discountRecurring: fromMinor(own[i].off.recurring + extra[i].recurring),
  }));
}

/** The quote discount's share of each line (minor units). */
function quoteShares(left: Amounts[], discount: Discount | null): Amounts[] {
  if (!discount) return left.map(() => ({ oneOff: 0, recurring: 0 }));
  if (discount.type === 'PERCENT') return left.map((amounts) => discountOff(amounts, discount));
  const total = left.reduce((sum, a) => ({ oneOff: sum.oneOff + a.oneOff, recurring: sum.recurring + a.recurring }), {
    oneOff: 0,
    recurring: 0,
  });
  const off = discountOff(total, discount);
  const oneOff = allocate(
    off.oneOff,
    left.map((a) => a.oneOff),
  );
  const recurring = allocate(
    off.recurring,
    left.map((a) => a.recurring),
  );
  return left.map((_, i) => ({ oneOff: oneOff[i], recurring: recurring[i] }));
}

/** A promotion's share of quote lines, as the promotion subgraph evaluates it. */
export type PromotionShare = AppliedDiscount & { lines: { lineId: string; oneOff: string; recurring: string }[] };

/**
 * A quote's totals: manual discounts (line, then quote) and promotions on catalog prices, taxed by the
 * storefront's rules (kit `computeTotals`, the cart's own arithmetic), with the promotions kept.
 */
export function quoteTotals(
  lines: QuoteLineInput[],
  quoteDiscount: Discount | null,
  promotions: PromotionShare[],
  currencyCode: string,
): TotalsData {
  const manual = lineDiscounts(lines, quoteDiscount);
  return {
    ...computeTotals(withDiscounts(manual, promotions), currencyCode),
    appliedDiscounts: promotions.map(({ lines: _lines, ...applied }) => applied),
  };
}
