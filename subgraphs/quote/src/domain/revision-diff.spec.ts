import { describe, expect, it } from 'vitest';
import { type DiffLine, type DiffQuote, revisionDiff } from './revision-diff.js';

const until = new Date('2026-12-31T00:00:00Z');
const quote = (over: Partial<DiffQuote> = {}): DiffQuote => ({
  validUntil: until,
  promoCodes: [],
  totals: { dueNow: '10.00', monthly: '30.00', discounts: '0.00', recurringDiscounts: '0.00' },
  ...over,
});
const plan: DiffLine = { id: 'p1', productId: 'plan', name: 'Plan', quantity: 1, recurringPrice: '29.99' };
const roaming: DiffLine = { id: 'a1', productId: 'roam', parentLineId: 'p1', name: 'Roaming', quantity: 1, recurringPrice: '4.99' };

describe('revision diff', () => {
  it('nothing changed: empty (line ids differ between revisions)', () => {
    const copy = [
      { ...plan, id: 'p2' },
      { ...roaming, id: 'a2', parentLineId: 'p2' },
    ];
    expect(revisionDiff({ quote: quote(), lines: [plan, roaming] }, { quote: quote(), lines: copy })).toEqual({
      added: [],
      removed: [],
      changed: [],
      quoteChanges: [],
    });
  });

  it('lines added, removed and changed; quote discount and totals', () => {
    const device: DiffLine = { id: 'd2', productId: 'phone', name: 'Phone', quantity: 1, oneOffPrice: '199.00' };
    const diff = revisionDiff(
      { quote: quote(), lines: [plan, roaming] },
      {
        quote: quote({
          discountType: 'PERCENT',
          discountValue: '5.00',
          totals: { dueNow: '209.00', monthly: '28.49', discounts: '0.00', recurringDiscounts: '1.50' },
        }),
        lines: [{ ...plan, id: 'p2', quantity: 2, discountType: 'AMOUNT', discountValue: '3.00' }, device],
      },
    );
    expect(diff.added).toEqual([{ productId: 'phone', parentProductId: null, name: 'Phone', quantity: 1 }]);
    expect(diff.removed).toEqual([{ productId: 'roam', parentProductId: 'plan', name: 'Roaming', quantity: 1 }]);
    expect(diff.changed).toEqual([
      {
        productId: 'plan',
        parentProductId: null,
        name: 'Plan',
        quantity: 2,
        changes: [
          { field: 'quantity', from: '1', to: '2' },
          { field: 'discount', from: null, to: '3.00' },
        ],
      },
    ]);
    expect(diff.quoteChanges).toEqual([
      { field: 'discount', from: null, to: '5.00%' },
      { field: 'dueNow', from: '10.00', to: '209.00' },
      { field: 'monthly', from: '30.00', to: '28.49' },
      { field: 'recurringDiscounts', from: '0.00', to: '1.50' },
    ]);
  });

  it('the same product twice is matched in order', () => {
    const two = [plan, { ...plan, id: 'p3' }];
    const diff = revisionDiff({ quote: quote(), lines: two }, { quote: quote(), lines: [plan] });
    expect(diff.removed).toEqual([{ productId: 'plan', parentProductId: null, name: 'Plan', quantity: 1 }]);
    expect(diff.changed).toEqual([]);
  });
});
