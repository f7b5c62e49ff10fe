import { describe, expect, it } from 'vitest';
import { estimate, fromCents, toCents } from './values.js';

describe('estimate', () => {
  it('sums quantity × unit price exactly, first year = one-off + 12 × monthly', () => {
    const value = estimate([
      { quantity: 2, oneOff: null, monthly: '14.99', currency: 'EUR' },
      { quantity: 1, oneOff: '249.00', monthly: null, currency: 'EUR' },
    ]);
    expect(value).toEqual({ oneOff: '249.00', monthly: '29.98', firstYear: '608.76', currency: 'EUR' });
  });
  it('is zero without lines', () => {
    expect(estimate([])).toEqual({ oneOff: '0.00', monthly: '0.00', firstYear: '0.00', currency: null });
  });
  it('round-trips cents', () => {
    expect(fromCents(toCents('0.1'))).toBe('0.10');
    expect(fromCents(toCents('-3.05'))).toBe('-3.05');
  });
});
