import { fromMinor, toMinor } from './scalars.js';

/** The catalog's tax categories; totals apply the storefront's rate for each. */
export type TaxCategory = 'STANDARD' | 'REDUCED' | 'ZERO' | 'EXEMPT';

/** A promotion applied to a cart, an order or a quote (line ids are that document's lines). */
export type AppliedDiscount = {
  promotionId: string;
  name: string;
  message: string;
  oneOff: string;
  recurring: string;
  lineIds: string[];
  couponCode: string | null;
};

/** Totals as an order or a quote stores them (decimal strings, tax-exclusive unless named otherwise). */
export type TotalsData = {
  currencyCode: string;
  subtotalOneOff: string;
  subtotalRecurring: string;
  deposit: string;
  taxOneOff: string;
  taxRecurring: string;
  /** One-off discounts (tax-exclusive). */
  discounts: string;
  /** Monthly discounts (tax-exclusive); absent on orders placed before promotions. */
  recurringDiscounts?: string;
  dueNow: string;
  monthly: string;
  /** One-off subtotal with tax, before discounts; absent on orders placed before tax-inclusive totals. */
  subtotalOneOffWithTax?: string;
  /** Monthly subtotal with tax, before discounts; absent on orders placed before tax-inclusive totals. */
  subtotalRecurringWithTax?: string;
  /** Orders and quotes keep the promotions they were priced with. */
  appliedDiscounts?: AppliedDiscount[];
};

/**
 * A line as priced by the catalog for this caller (tax-exclusive unit prices), with what discounts
 * take off it in total (tax-exclusive decimals; absent: nothing).
 */
export type PricedLine = {
  lineId?: string;
  quantity: number;
  recurring: string | null;
  oneOff: string | null;
  deposit: string | null;
  taxCategory: TaxCategory;
  discountOneOff?: string;
  discountRecurring?: string;
};

/** VAT rates in percent by storefront currency's country (EUR → Ireland, GBP → United Kingdom). */
export const TAX_RATES: Record<string, Record<TaxCategory, number>> = {
  EUR: { STANDARD: 23, REDUCED: 13.5, ZERO: 0, EXEMPT: 0 },
  GBP: { STANDARD: 20, REDUCED: 5, ZERO: 0, EXEMPT: 0 },
};

/** Each line's share of the discounts, summed over discounts (the promotion engine reports it per line), added to what the line already has off. */
export function withDiscounts<L extends PricedLine & { lineId: string }>(
  lines: L[],
  discounts: { lines: { lineId: string; oneOff: string; recurring: string }[] }[],
): L[] {
  const byLine = new Map<string, { oneOff: number; recurring: number }>();
  for (const discount of discounts) {
    for (const share of discount.lines) {
      const sum = byLine.get(share.lineId) ?? { oneOff: 0, recurring: 0 };
      sum.oneOff += toMinor(share.oneOff);
      sum.recurring += toMinor(share.recurring);
      byLine.set(share.lineId, sum);
    }
  }
  return lines.map((line) => {
    const sum = byLine.get(line.lineId);
    if (!sum) return line;
    return {
      ...line,
      discountOneOff: fromMinor(toMinor(line.discountOneOff ?? '0') + sum.oneOff),
      discountRecurring: fromMinor(toMinor(line.discountRecurring ?? '0') + sum.recurring),
    };
  });
}

/**
 * Cart, order and quote totals from server-side prices only. Discounts come off tax-exclusive line
 * amounts (never below zero) and each line is taxed on what remains, rounded half-up per line;
 * deposits are refundable, untaxed and never discounted. dueNow = one-off − discounts + tax + deposits;
 * monthly = recurring − recurring discounts + tax.
 */
export function computeTotals(lines: PricedLine[], currencyCode: string): TotalsData {
  const rates = TAX_RATES[currencyCode] ?? { STANDARD: 0, REDUCED: 0, ZERO: 0, EXEMPT: 0 };
  let oneOff = 0;
  let recurring = 0;
  let deposit = 0;
  let discountOneOff = 0;
  let discountRecurring = 0;
  let taxOneOff = 0;
  let taxRecurring = 0;
  // Tax as it would be without discounts: the tax-inclusive subtotals the shopper is shown.
  let fullTaxOneOff = 0;
  let fullTaxRecurring = 0;
  for (const line of lines) {
    const rate = rates[line.taxCategory] / 100;
    const lineOneOff = line.oneOff ? toMinor(line.oneOff) * line.quantity : 0;
    const lineRecurring = line.recurring ? toMinor(line.recurring) * line.quantity : 0;
    const offOneOff = Math.min(Math.max(toMinor(line.discountOneOff ?? '0'), 0), lineOneOff);
    const offRecurring = Math.min(Math.max(toMinor(line.discountRecurring ?? '0'), 0), lineRecurring);
    oneOff += lineOneOff;
    recurring += lineRecurring;
    discountOneOff += offOneOff;
    discountRecurring += offRecurring;
    deposit += line.deposit ? toMinor(line.deposit) * line.quantity : 0;
    taxOneOff += Math.round((lineOneOff - offOneOff) * rate);
    taxRecurring += Math.round((lineRecurring - offRecurring) * rate);
    fullTaxOneOff += Math.round(lineOneOff * rate);
    fullTaxRecurring += Math.round(lineRecurring * rate);
  }
  return {
    currencyCode,
    subtotalOneOff: fromMinor(oneOff),
    subtotalRecurring: fromMinor(recurring),
    deposit: fromMinor(deposit),
    taxOneOff: fromMinor(taxOneOff),
    taxRecurring: fromMinor(taxRecurring),
    discounts: fromMinor(discountOneOff),
    recurringDiscounts: fromMinor(discountRecurring),
    dueNow: fromMinor(oneOff - discountOneOff + taxOneOff + deposit),
    monthly: fromMinor(recurring - discountRecurring + taxRecurring),
    subtotalOneOffWithTax: fromMinor(oneOff + fullTaxOneOff),
    subtotalRecurringWithTax: fromMinor(recurring + fullTaxRecurring),
  };
}

/** Totals' tax-inclusive forms: subtotals and discounts with tax, so that subtotal − discounts (+ deposit) is what is charged. */
export type TaxInclusiveTotals = {
  subtotalOneOffWithTax: string;
  subtotalRecurringWithTax: string;
  discountsWithTax: string;
  recurringDiscountsWithTax: string;
};

/**
 * The tax-inclusive forms of stored or computed totals. A discount's tax-inclusive amount is what it
 * takes off the charge: subtotal with tax − (dueNow − deposit), resp. − monthly, exactly. Totals stored
 * before these forms existed derive the subtotals at their own effective tax rate (exact when nothing
 * was discounted).
 */
export function taxInclusiveTotals(t: TotalsData): TaxInclusiveTotals {
  const chargedOneOff = toMinor(t.dueNow) - toMinor(t.deposit);
  const chargedRecurring = toMinor(t.monthly);
  const derive = (subtotal: string, discount: string, tax: string) => {
    const net = toMinor(subtotal) - toMinor(discount);
    const rate = net > 0 ? toMinor(tax) / net : 0;
    return fromMinor(toMinor(subtotal) + Math.round(toMinor(subtotal) * rate));
  };
  const oneOff = t.subtotalOneOffWithTax ?? derive(t.subtotalOneOff, t.discounts, t.taxOneOff);
  const recurring = t.subtotalRecurringWithTax ?? derive(t.subtotalRecurring, t.recurringDiscounts ?? '0', t.taxRecurring);
  return {
    subtotalOneOffWithTax: oneOff,
    subtotalRecurringWithTax: recurring,
    discountsWithTax: fromMinor(toMinor(oneOff) - chargedOneOff),
    recurringDiscountsWithTax: fromMinor(toMinor(recurring) - chargedRecurring),
  };
}
