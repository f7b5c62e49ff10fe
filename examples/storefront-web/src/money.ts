import type { MoneyFieldsFragment, PriceFieldsFragment } from '@dcrm/storefront-sdk';

export type Formatters = {
  money(money: MoneyFieldsFragment | null | undefined): string;
  price(price: PriceFieldsFragment | null | undefined): string;
};

/** Amounts in the storefront's locale; each amount keeps its own currency (the API sends it with every amount). */
export function formatters(locale: string, currencyCode: string): Formatters {
  const cache = new Map<string, Intl.NumberFormat>();
  const formatFor = (currency: string) => {
    let format = cache.get(currency);
    if (!format) {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency });
      cache.set(currency, format);
    }
    return format;
  };
  const money = (m: MoneyFieldsFragment | null | undefined) =>
    m ? formatFor(m.currencyCode || currencyCode).format(Number(m.amount)) : '—';
  return {
    money,
    price: (p) => {
      if (!p) return 'Not for sale';
      // The form this buyer is shown (with tax, or without for a business account), labelled as such.
      const base = money(p.displayAmount);
      const taxed = p.displayAmount.amount === p.amountWithTax.amount;
      const vat = p.taxRate > 0 ? (taxed ? ' incl. VAT' : ' excl. VAT') : '';
      const recurring = `${p.type === 'RECURRING' ? `${base}/${p.interval === 'YEAR' ? 'year' : 'month'}` : base}${vat}`;
      return p.deposit && Number(p.deposit.amount) > 0 ? `${recurring} + ${money(p.deposit)} deposit` : recurring;
    },
  };
}
