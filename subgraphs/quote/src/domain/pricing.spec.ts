import { describe, expect, it } from 'vitest';
import { allocate, discountOff, lineDiscounts, percentOf, type QuoteLineInput, quoteTotals } from './pricing.js';

const line = (lineId: string, p: Partial<QuoteLineInput> = {}): QuoteLineInput => ({
  lineId,
  quantity: 1,
  recurring: null,
  oneOff: null,
  deposit: null,
  taxCategory: 'STANDARD',
  ...p,
});

describe('percentOf', () => {
  it('rounds half up to the cent, in minor units', () => {
    expect(percentOf(2999, '10')).toBe(300); // 299.9
    expect(percentOf(1000, '12.5')).toBe(125);
    expect(percentOf(999, '50')).toBe(500); // 499.5 → 500
    expect(percentOf(1, '49.99')).toBe(0);
  });
});

describe('discountOff', () => {
  it('takes a percentage off both amounts and an amount off the monthly one (one-off when there is none), never more than there is', () => {
    expect(discountOff({ oneOff: 10000, recurring: 2000 }, { type: 'PERCENT', value: '25' })).toEqual({ oneOff: 2500, recurring: 500 });
    expect(discountOff({ oneOff: 10000, recurring: 2000 }, { type: 'AMOUNT', value: '5.00' })).toEqual({ oneOff: 0, recurring: 500 });
    expect(discountOff({ oneOff: 10000, recurring: 0 }, { type: 'AMOUNT', value: '5.00' })).toEqual({ oneOff: 500, recurring: 0 });
    expect(discountOff({ oneOff: 0, recurring: 300 }, { type: 'AMOUNT', value: '5.00' })).toEqual({ oneOff: 0, recurring: 300 });
    expect(discountOff({ oneOff: 100, recurring: 100 }, null)).toEqual({ oneOff: 0, recurring: 0 });
  });
});

describe('allocate', () => {
  it('shares exactly, by largest remainder, earlier lines winning ties', () => {
    expect(allocate(500, [2699, 499])).toEqual([422, 78]);
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
    expect(allocate(7, [0, 0])).toEqual([0, 0]);
    const shares = allocate(1001, [333, 333, 334]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(1001);
  });
});

describe('lineDiscounts', () => {
  it("applies each line's own discount, then the quote's on what is left", () => {
    const lines = [
      line('plan', { recurring: '29.99', discountType: 'PERCENT', discountValue: '10' }),
      line('addon', { recurring: '4.99' }),
    ];
    const out = lineDiscounts(lines, { type: 'AMOUNT', value: '5.00' });
    expect(out.map((l) => [l.discountOneOff, l.discountRecurring])).toEqual([
      ['0.00', '7.22'],
      ['0.00', '0.78'],
    ]);
  });

  it('multiplies by quantity before discounting, and a percentage quote discount goes line by line', () => {
    const out = lineDiscounts([line('a', { recurring: '9.99', quantity: 3 }), line('b', { oneOff: '0.05' })], {
      type: 'PERCENT',
      value: '50',
    });
    expect(out.map((l) => [l.discountOneOff, l.discountRecurring])).toEqual([
      ['0.00', '14.99'], // 29.97 / 2 = 14.985 → 14.99
      ['0.03', '0.00'], // 0.025 → 0.03
    ]);
  });

  it('never discounts below zero', () => {
    const out = lineDiscounts([line('a', { recurring: '3.00', discountType: 'AMOUNT', discountValue: '10.00' })], {
      type: 'AMOUNT',
      value: '2.00',
    });
    expect(out[0].discountRecurring).toBe('3.00');
  });
});

describe('quoteTotals', () => {
  it('adds promotions on top, taxes what is left per line and keeps the promotions', () => {
    const totals = quoteTotals(
      [line('plan', { recurring: '29.99', discountType: 'PERCENT', discountValue: '10' }), line('addon', { recurring: '4.99' })],
      { type: 'AMOUNT', value: '5.00' },
      [
        {
          promotionId: 'p1',
          name: 'Spring',
          message: '1 euro off',
          oneOff: '0.00',
          recurring: '1.00',
          couponCode: null,
          lineIds: ['addon'],
          lines: [{ lineId: 'addon', oneOff: '0.00', recurring: '1.00' }],
        },
      ],
      'EUR',
    );
    // plan 29.99 − 7.22 = 22.77 (tax 5.24); add-on 4.99 − 0.78 − 1.00 = 3.21 (tax 0.74).
    expect(totals).toMatchObject({
      subtotalRecurring: '34.98',
      recurringDiscounts: '9.00',
      taxRecurring: '5.98',
      monthly: '31.96',
      dueNow: '0.00',
      appliedDiscounts: [{ promotionId: 'p1', lineIds: ['addon'] }],
    });
    expect(totals.appliedDiscounts?.[0]).not.toHaveProperty('lines');
  });

  it('uses the storefront currency’s tax rates (GBP 20%)', () => {
    expect(quoteTotals([line('a', { oneOff: '100.00', deposit: '50.00' })], null, [], 'GBP')).toMatchObject({
      taxOneOff: '20.00',
      dueNow: '170.00',
    });
  });
});
