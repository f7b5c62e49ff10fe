import { fromMinor, toMinor } from '@dcrm/kit';

export type TaxCategory = 'STANDARD' | 'REDUCED' | 'ZERO' | 'EXEMPT';

/** A line as priced by the catalog for this caller (tax-exclusive unit prices). */
export type PricedLine = {
  quantity: number;
  recurring: string | null;
  oneOff: string | null;
  deposit: string | null;
  taxCategory: TaxCategory;
};

export type TotalsData = {
  currencyCode: string;
  subtotalOneOff: string;
  subtotalRecurring: string;
  deposit: string;
  taxOneOff: string;
  taxRecurring: string;
  discounts: string;
  dueNow: string;
  monthly: string;
};

/** VAT rates in percent by storefront currency's country (EUR → Ireland, GBP → United Kingdom). */
const TAX_RATES: Record<string, Record<TaxCategory, number>> = {
  EUR: { STANDARD: 23, REDUCED: 13.5, ZERO: 0, EXEMPT: 0 },
  GBP: { STANDARD: 20, REDUCED: 5, ZERO: 0, EXEMPT: 0 },
};

/** Where promotions will enter: the discount on what is due now, in minor units (none yet). */
export type DiscountSeam = (lines: PricedLine[], currencyCode: string) => number;
export const noDiscounts: DiscountSeam = () => 0;

/**
 * Cart and order totals from server-side prices only. Tax is rounded half-up per line; deposits are
 * refundable and untaxed; discounts reduce what is due now and never below zero.
 */
export function computeTotals(lines: PricedLine[], currencyCode: string, discounts: DiscountSeam = noDiscounts): TotalsData {
  const rates = TAX_RATES[currencyCode] ?? { STANDARD: 0, REDUCED: 0, ZERO: 0, EXEMPT: 0 };
  let oneOff = 0;
  let recurring = 0;
  let deposit = 0;
  let taxOneOff = 0;
  let taxRecurring = 0;
  for (const line of lines) {
    const rate = rates[line.taxCategory] / 100;
    const lineOneOff = line.oneOff ? toMinor(line.oneOff) * line.quantity : 0;
    const lineRecurring = line.recurring ? toMinor(line.recurring) * line.quantity : 0;
    oneOff += lineOneOff;
    recurring += lineRecurring;
    deposit += line.deposit ? toMinor(line.deposit) * line.quantity : 0;
    taxOneOff += Math.round(lineOneOff * rate);
    taxRecurring += Math.round(lineRecurring * rate);
  }
  const gross = oneOff + taxOneOff + deposit;
  const discount = Math.min(Math.max(discounts(lines, currencyCode), 0), gross);
  return {
    currencyCode,
    subtotalOneOff: fromMinor(oneOff),
    subtotalRecurring: fromMinor(recurring),
    deposit: fromMinor(deposit),
    taxOneOff: fromMinor(taxOneOff),
    taxRecurring: fromMinor(taxRecurring),
    discounts: fromMinor(discount),
    dueNow: fromMinor(gross - discount),
    monthly: fromMinor(recurring + taxRecurring),
  };
}
