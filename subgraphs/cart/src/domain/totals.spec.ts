import { fromMinor, toMinor } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { computeTotals, type PricedLine } from './totals.js';

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
      dueNow: '663.77',
      monthly: '85.13',
    });
  });

  it('uses the storefront currency’s rates and caps discounts at what is due', () => {
    expect(computeTotals([line({ oneOff: '100.00' })], 'GBP').taxOneOff).toBe('20.00');
    const totals = computeTotals([line({ oneOff: '10.00' })], 'GBP', () => 99_999);
    expect(totals).toMatchObject({ discounts: '12.00', dueNow: '0.00' });
  });
});
