import type { TotalsData } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import {
  type ApprovalLevel,
  approvalFacts,
  type FactLine,
  levelsNeeded,
  lineDiscountPercent,
  type StoredApprovalRule,
} from './approval-rules.js';

const totals = (over: Partial<TotalsData> = {}): TotalsData => ({
  currencyCode: 'EUR',
  subtotalOneOff: '100.00',
  subtotalRecurring: '50.00',
  deposit: '0.00',
  taxOneOff: '0.00',
  taxRecurring: '0.00',
  discounts: '10.00',
  recurringDiscounts: '5.00',
  dueNow: '90.00',
  monthly: '45.00',
  ...over,
});
const line = (over: Partial<FactLine> = {}): FactLine => ({
  quantity: 1,
  discountType: null,
  discountValue: null,
  recurringPrice: '20.00',
  oneOffPrice: '80.00',
  ...over,
});
const quote = { segment: 'smb', customerId: 'c1', promoCodes: ['SPRING'], discountType: null, discountValue: null, totals: totals() };
const rule = (id: string, level: ApprovalLevel, conditions: StoredApprovalRule['conditions']): StoredApprovalRule => ({
  id,
  name: id,
  conditions,
  target: level,
});

describe('approval facts', () => {
  it('line discount percentages: PERCENT as given, AMOUNT of the line gross (all units), capped at 100', () => {
    expect(lineDiscountPercent(line())).toBe(0);
    expect(lineDiscountPercent(line({ discountType: 'PERCENT', discountValue: '12.50' }))).toBe(12.5);
    expect(lineDiscountPercent(line({ discountType: 'AMOUNT', discountValue: '25.00', quantity: 2 }))).toBe(12.5);
    expect(lineDiscountPercent(line({ discountType: 'AMOUNT', discountValue: '0.01', recurringPrice: '0.03', oneOffPrice: null }))).toBe(
      33.33,
    );
    expect(lineDiscountPercent(line({ discountType: 'AMOUNT', discountValue: '500.00' }))).toBe(100);
  });

  it('reads totals in minor units: no float drift', () => {
    const facts = approvalFacts(
      { ...quote, totals: totals({ subtotalOneOff: '0.10', subtotalRecurring: '0.20', discounts: '0.10', recurringDiscounts: '0.00' }) },
      [line()],
    );
    expect(facts.quoteDiscountPercent).toBe(33.33);
    expect(approvalFacts(quote, [line(), line({ discountType: 'PERCENT', discountValue: '30' })])).toEqual({
      maxLineDiscountPercent: 30,
      quoteDiscountPercent: 10,
      totalDueNow: 90,
      monthlyTotal: 45,
      segment: 'smb',
      lineCount: 2,
      prospect: false,
      promoCodes: ['SPRING'],
    });
    expect(
      approvalFacts(
        { ...quote, customerId: null, promoCodes: null, totals: totals({ subtotalOneOff: '0.00', subtotalRecurring: '0.00' }) },
        [],
      ),
    ).toMatchObject({ prospect: true, promoCodes: [], quoteDiscountPercent: 0, maxLineDiscountPercent: 0 });
  });
});

describe('levels needed', () => {
  const rules = [
    rule('discount>15', 'MANAGER', [{ path: 'maxLineDiscountPercent', operator: 'gt', value: 15 }]),
    rule('quote>8', 'MANAGER', [{ path: 'quoteDiscountPercent', operator: 'gt', value: 8 }]),
    rule('big', 'FINANCE', [
      { path: 'totalDueNow', operator: 'gte', value: 1000 },
      { path: 'segment', operator: 'in', value: ['smb', 'enterprise'] },
    ]),
  ];

  it('every matching rule counts; one entry per level with each reason explained', () => {
    const facts = approvalFacts(quote, [line({ discountType: 'PERCENT', discountValue: '20' })]);
    const needed = levelsNeeded(rules, facts);
    expect(needed.map((n) => n.level)).toEqual(['MANAGER']);
    expect(needed[0].reasons).toEqual([
      'discount>15 (→ MANAGER): maxLineDiscountPercent gt 15 (was 20)',
      'quote>8 (→ MANAGER): quoteDiscountPercent gt 8 (was 10)',
    ]);
  });

  it('all conditions of a rule must hold; none matching → no approval needed', () => {
    const cheap = approvalFacts({ ...quote, totals: totals({ discounts: '0.00', recurringDiscounts: '0.00' }) }, [line()]);
    expect(levelsNeeded(rules, cheap)).toEqual([]);
    const big = approvalFacts({ ...quote, totals: totals({ dueNow: '1000.00' }) }, [line()]);
    expect(levelsNeeded(rules, big).map((n) => n.level)).toEqual(['MANAGER', 'FINANCE']);
    const consumer = approvalFacts(
      { ...quote, segment: 'consumer', totals: totals({ dueNow: '5000.00', discounts: '0.00', recurringDiscounts: '0.00' }) },
      [],
    );
    expect(levelsNeeded(rules, consumer)).toEqual([]);
    expect(levelsNeeded([{ ...rules[2], active: false }], big)).toEqual([]);
  });
});
