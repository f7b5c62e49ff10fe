import { computeTotals } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { agreedPrice, contractLines, matchesTotals, saleLines } from './acceptance-lines.js';

const line = (over: Partial<Parameters<typeof agreedPrice>[0]> = {}) => ({
  id: 'plan',
  productId: 'p-plan',
  parentLineId: null,
  name: 'Plan',
  quantity: 1,
  recurringPrice: '9.99',
  oneOffPrice: null,
  deposit: null,
  taxCategory: 'STANDARD' as const,
  discountOneOff: '0.00',
  discountRecurring: '0.00',
  promotionOneOff: '0.00',
  promotionRecurring: '0.00',
  ...over,
});

describe('agreed prices of an accepted quote', () => {
  it('adds the promotions to the manual discounts of a line', () => {
    expect(agreedPrice(line({ discountRecurring: '1.00', promotionRecurring: '0.50', promotionOneOff: '2.25' }))).toEqual({
      recurring: '9.99',
      oneOff: null,
      deposit: null,
      discountOneOff: '2.25',
      discountRecurring: '1.50',
    });
  });

  it('points add-ons at their plan by index; a parent after its add-on is left out', () => {
    const lines = [line(), line({ id: 'addon', productId: 'p-addon', parentLineId: 'plan' }), line({ id: 'x', parentLineId: 'later' })];
    expect(saleLines(lines).map((l) => l.parentIndex)).toEqual([null, 0, null]);
  });

  it('matches the stored totals only when the agreed lines add up to them', () => {
    const lines = [line({ quantity: 2, discountRecurring: '2.00', oneOffPrice: '49.00', deposit: '20.00' })];
    const totals = computeTotals(
      lines.map((l) => ({ ...l, recurring: l.recurringPrice, oneOff: l.oneOffPrice })),
      'EUR',
    );
    expect(matchesTotals(lines, totals, 'EUR')).toBe(true);
    expect(matchesTotals(lines, { ...totals, monthly: '0.01' }, 'EUR')).toBe(false);
  });
});

describe('contract lines', () => {
  it('charges the net monthly fee exactly, unit fees rounded half up', () => {
    const result = contractLines([
      line({ quantity: 3, recurringPrice: '10.00', discountRecurring: '1.00' }),
      line({ recurringPrice: null, oneOffPrice: '99.00' }),
    ]);
    // 30.00 − 1.00 = 29.00 a month; 9.666… a unit rounds to 9.67.
    expect(result).toEqual({ lines: [{ productId: 'p-plan', name: 'Plan', quantity: 3, monthlyFeeMinor: 967 }], monthlyFeeMinor: 2900 });
  });

  it('is null without a monthly line', () => {
    expect(contractLines([line({ recurringPrice: '0.00', oneOffPrice: '99.00' })])).toBeNull();
  });
});
