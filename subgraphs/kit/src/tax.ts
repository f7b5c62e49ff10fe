import { type Principal, segmentsOf } from './principal.js';
import { fromMinor, toMinor } from './scalars.js';
import { TAX_RATES, type TaxCategory } from './totals.js';

/**
 * Tax-inclusive display prices (Vendure's `priceWithTax` idea), by the same rules cart, order and
 * quote totals use (`TAX_RATES`: the storefront currency's country, per tax category).
 */

/** Market segments whose accounts buy as businesses: shown prices without tax (they reclaim VAT). */
export const BUSINESS_SEGMENTS = ['smb', 'enterprise'];

/** Whether amounts a buyer is shown include tax. */
export type TaxDisplay = 'INCLUDING_TAX' | 'EXCLUDING_TAX';

/** The rate in percent for a category in a currency's country (0 where none is known). */
export function taxRate(currencyCode: string, category: TaxCategory): number {
  return TAX_RATES[currencyCode]?.[category] ?? 0;
}

/** A tax-exclusive amount with its tax added, rounded half-up to the cent (as totals round each line). */
export function amountWithTax(amount: string, currencyCode: string, category: TaxCategory): string {
  const minor = toMinor(amount);
  return fromMinor(minor + Math.round((minor * taxRate(currencyCode, category)) / 100));
}

/**
 * Who is shown which form: business buyers — a signed-in account of a business segment, or a sale
 * priced for such an account — see amounts without tax; shoppers, consumer accounts, staff and
 * partners see them with tax (what a consumer's cart charges).
 */
export function taxDisplayFor(principal: Principal): TaxDisplay {
  const segments =
    principal.kind === 'customer'
      ? segmentsOf(principal)
      : principal.kind === 'service' && principal.account
        ? [principal.account.segment]
        : [];
  return segments.some((s) => BUSINESS_SEGMENTS.includes(s)) ? 'EXCLUDING_TAX' : 'INCLUDING_TAX';
}
