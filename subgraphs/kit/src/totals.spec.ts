import { describe, expect, it } from 'vitest';
import { fromMinor, toMinor } from './scalars.js';
import { computeTotals, type PricedLine, taxInclusiveTotals, withDiscounts } from './totals.js';

const line = (p: Partial<PricedLine>): PricedLine => ({
  quantity: 1,
  recurring: null,
  oneOff: null,
  deposit: null,
  taxCategory: 'STANDARD',
  ...p,
});

describe('money in minor units', () => {
  it('round-trips decimal strings exactly', () => {
    expect(toMinor('19.99')).toBe(1999);
    expect(toMinor('5')).toBe(500);
    expect(toMinor('0.5')).toBe(50);
    expect(fromMinor(1999)).toBe('19.99');
    expect(fromMinor(5)).toBe('0.05');
    expect(fromMinor(-250)).toBe('-2.50');
  });
});

describe('computeTotals', () => {
  it('splits one-off and recurring, taxes each by category, leaves deposits untaxed', () => {
    const totals = computeTotals(
      [
        line({ recurring: '29.99', quantity: 2 }),
        line({ oneOff: '499.00', deposit: '50.00' }),
        line({ recurring: '10.00', taxCategory: 'REDUCED' }),
      ],
      'EUR',
    );
    expect(totals).toEqual({
      currencyCode: 'EUR',
      subtotalOneOff: '499.00',
      subtotalRecurring: '69.98',
      deposit: '50.00',
      taxOneOff: '114.77',
      taxRecurring: '15.15', // 59.98 × 23% = 13.80 (rounded) + 10.00 × 13.5% = 1.35
      discounts: '0.00',
      recurringDiscounts: '0.00',
      dueNow: '663.77',
      monthly: '85.13',
      subtotalOneOffWithTax: '613.77',
      subtotalRecurringWithTax: '85.13',
    });
  });

  it('uses the storefront currency’s rates and caps discounts at each line’s amount', () => {
    expect(computeTotals([line({ oneOff: '100.00' })], 'GBP').taxOneOff).toBe('20.00');
    const totals = computeTotals([line({ oneOff: '10.00', deposit: '5.00', discountOneOff: '999.99' })], 'GBP');
    // Deposits are never discounted.
    expect(totals).toMatchObject({ discounts: '10.00', taxOneOff: '0.00', dueNow: '5.00' });
  });

  it('taxes each line on what remains after its discounts, one-off and recurring', () => {
    const totals = computeTotals(
      [
        line({ recurring: '30.00', discountRecurring: '15.00' }), // 50% off the plan
        line({ recurring: '10.00', taxCategory: 'REDUCED' }),
        line({ oneOff: '200.00', deposit: '50.00', discountOneOff: '49.99' }),
      ],
      'EUR',
    );
    expect(totals).toEqual({
      currencyCode: 'EUR',
      subtotalOneOff: '200.00',
      subtotalRecurring: '40.00',
      deposit: '50.00',
      taxOneOff: '34.50', // 150.01 × 23% = 34.5023
      taxRecurring: '4.80', // 15.00 × 23% = 3.45 + 10.00 × 13.5% = 1.35
      discounts: '49.99',
      recurringDiscounts: '15.00',
      dueNow: '234.51', // 200.00 − 49.99 + 34.50 + 50.00
      monthly: '29.80', // 40.00 − 15.00 + 4.80
      subtotalOneOffWithTax: '246.00', // 200.00 + 46.00
      subtotalRecurringWithTax: '48.25', // 30.00 + 6.90 + 10.00 + 1.35
    });
    // With tax, the discounts are exactly what they take off the charge.
    expect(taxInclusiveTotals(totals)).toEqual({
      subtotalOneOffWithTax: '246.00',
      subtotalRecurringWithTax: '48.25',
      discountsWithTax: '61.49', // 246.00 − (234.51 − 50.00)
      recurringDiscountsWithTax: '18.45', // 48.25 − 29.80
    });
  });

  it('derives the tax-inclusive forms of totals stored before they existed', () => {
    const {
      subtotalOneOffWithTax: _o,
      subtotalRecurringWithTax: _r,
      ...legacy
    } = computeTotals([line({ recurring: '29.99', quantity: 2 }), line({ oneOff: '499.00', deposit: '50.00' })], 'EUR');
    expect(taxInclusiveTotals(legacy)).toEqual({
      subtotalOneOffWithTax: '613.77',
      subtotalRecurringWithTax: '73.78',
      discountsWithTax: '0.00',
      recurringDiscountsWithTax: '0.00',
    });
  });
});

describe('withDiscounts', () => {
  it('sums every promotion’s share per line and leaves other lines alone', () => {
    const lines = [
      { ...line({ recurring: '30.00' }), lineId: 'a' },
      { ...line({ oneOff: '99.00' }), lineId: 'b' },
    ];
    const discounts = [
      { lines: [{ lineId: 'a', oneOff: '0.00', recurring: '5.00' }] },
      { lines: [{ lineId: 'a', oneOff: '0.00', recurring: '2.50' }] },
    ];
    expect(withDiscounts(lines, discounts)).toEqual([{ ...lines[0], discountOneOff: '0.00', discountRecurring: '7.50' }, lines[1]]);
  });
});
