import { fromMinor, toMinor } from '@dcrm/kit';
import type { TaxCategory } from '../clients/catalog.js';
import type { TotalsData } from '../entities/totals.js';

/**
 * A line as priced by the catalog for this caller (tax-exclusive unit prices), with what promotions
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

export type { AppliedDiscount, TotalsData } from '../entities/totals.js';

/** VAT rates in percent by storefront currency's country (EUR → Ireland, GBP → United Kingdom). */
const TAX_RATES: Record<string, Record<TaxCategory, number>> = {
  EUR: { STANDARD: 23, REDUCED: 13.5, ZERO: 0, EXEMPT: 0 },
  GBP: { STANDARD: 20, REDUCED: 5, ZERO: 0, EXEMPT: 0 },
};

/** Each line's share of the discounts, summed over promotions (the promotion engine reports it per line). */
export function withDiscounts(
  lines: (PricedLine & { lineId: string })[],
  discounts: { lines: { lineId: string; oneOff: string; recurring: string }[] }[],
): PricedLine[] {
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
    return sum ? { ...line, discountOneOff: fromMinor(sum.oneOff), discountRecurring: fromMinor(sum.recurring) } : line;
  });
}

/**
 * Cart and order totals from server-side prices only. Discounts come off tax-exclusive line amounts
 * (never below zero) and each line is taxed on what remains, rounded half-up per line; deposits are
 * refundable, untaxed and never discounted. dueNow = one-off − discounts + tax + deposits;
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
  };
}
