import { describe, expect, it } from 'vitest';
import { addMonths, monthsElapsed, mulDivRound, remainingMonths, terminationCharge } from './penalty.js';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
// A 12-month term from 15 Jan 2026.
const period = { start: d('2026-01-15'), end: d('2027-01-15') };
const FEE = 2999; // 29.99 a month

describe('calendar months', () => {
  it('adds months with the day clamped to the month', () => {
    expect(addMonths(d('2026-01-31'), 1)).toEqual(d('2026-02-28'));
    expect(addMonths(d('2028-01-31'), 1)).toEqual(d('2028-02-29'));
    expect(addMonths(d('2026-11-30'), 3)).toEqual(d('2027-02-28'));
  });

  it('counts whole months elapsed and the months remaining (the current one counts)', () => {
    expect(monthsElapsed(period.start, d('2026-01-01'))).toBe(0);
    expect(monthsElapsed(period.start, d('2026-02-14'))).toBe(0);
    expect(monthsElapsed(period.start, d('2026-02-15'))).toBe(1);
    expect(remainingMonths(period, period.start)).toBe(12);
    expect(remainingMonths(period, d('2026-02-15'))).toBe(11);
    expect(remainingMonths(period, d('2026-12-15'))).toBe(1);
    expect(remainingMonths(period, d('2027-01-14'))).toBe(1);
    expect(remainingMonths(period, period.end)).toBe(0);
  });

  it('rounds a × b ÷ c half up, exactly', () => {
    expect(mulDivRound(1, 1, 2)).toBe(1);
    expect(mulDivRound(1, 1, 3)).toBe(0);
    expect(mulDivRound(2, 1, 3)).toBe(1);
    expect(mulDivRound(9_007_199_254_740, 9999, 10_000)).toBe(9_006_298_534_815);
  });
});

describe('REMAINING_MONTHS', () => {
  const rule = { kind: 'REMAINING_MONTHS', percentBp: 5000 } as const;

  it('charges the remaining months × fee × percentage', () => {
    // 11 months × 29.99 × 50% = 164.945 → 164.95 (half up)
    expect(terminationCharge(rule, period, FEE, d('2026-03-01'))).toMatchObject({ chargeMinor: 16_495, remainingMonths: 11 });
    expect(terminationCharge(rule, period, FEE, period.start).chargeMinor).toBe(17_994);
  });

  it('charges one month in the last month', () => {
    expect(terminationCharge(rule, period, FEE, d('2026-12-20'))).toMatchObject({ chargeMinor: 1500, remainingMonths: 1 });
  });

  it('charges nothing at or after the end of the term', () => {
    expect(terminationCharge(rule, period, FEE, period.end).chargeMinor).toBe(0);
    expect(terminationCharge(rule, period, FEE, d('2027-06-01')).chargeMinor).toBe(0);
  });

  it('handles fractional percentages in basis points', () => {
    // 12 × 10.00 × 12.5% = 15.00
    expect(terminationCharge({ kind: 'REMAINING_MONTHS', percentBp: 1250 }, period, 1000, period.start).chargeMinor).toBe(1500);
  });
});

describe('FIXED', () => {
  const rule = { kind: 'FIXED', amountMinor: 10_000 } as const;

  it('charges the amount throughout the term, the last month included', () => {
    expect(terminationCharge(rule, period, FEE, period.start).chargeMinor).toBe(10_000);
    expect(terminationCharge(rule, period, FEE, d('2027-01-14')).chargeMinor).toBe(10_000);
  });

  it('charges nothing after the term', () => {
    expect(terminationCharge(rule, period, FEE, d('2027-01-16')).chargeMinor).toBe(0);
  });
});

describe('DECLINING', () => {
  it('falls linearly by month (stepMonths 1)', () => {
    const rule = { kind: 'DECLINING', amountMinor: 12_000, stepMonths: 1 } as const;
    expect(terminationCharge(rule, period, FEE, period.start).chargeMinor).toBe(12_000);
    expect(terminationCharge(rule, period, FEE, d('2026-02-15')).chargeMinor).toBe(11_000);
    expect(terminationCharge(rule, period, FEE, d('2026-12-15')).chargeMinor).toBe(1000);
    expect(terminationCharge(rule, period, FEE, period.end).chargeMinor).toBe(0);
  });

  it('falls in steps (every 3 months: 4 steps of a quarter)', () => {
    const rule = { kind: 'DECLINING', amountMinor: 12_000, stepMonths: 3 } as const;
    const at = (iso: string) => terminationCharge(rule, period, FEE, d(iso)).chargeMinor;
    expect(at('2026-01-15')).toBe(12_000);
    expect(at('2026-04-14')).toBe(12_000);
    expect(at('2026-04-15')).toBe(9000);
    expect(at('2026-07-15')).toBe(6000);
    expect(at('2026-10-15')).toBe(3000);
    expect(at('2027-01-10')).toBe(3000);
    expect(at('2027-01-15')).toBe(0);
  });

  it('rounds uneven steps half up (100.00 over 7 monthly steps)', () => {
    const seven = { start: d('2026-01-01'), end: d('2026-08-01') };
    const rule = { kind: 'DECLINING', amountMinor: 10_000, stepMonths: 1 } as const;
    // 10000 × 6 ÷ 7 = 8571.43 → 8571; × 4 ÷ 7 = 5714.29 → 5714; × 1 ÷ 7 = 1428.57 → 1429
    expect(terminationCharge(rule, seven, FEE, d('2026-02-01')).chargeMinor).toBe(8571);
    expect(terminationCharge(rule, seven, FEE, d('2026-04-01')).chargeMinor).toBe(5714);
    expect(terminationCharge(rule, seven, FEE, d('2026-07-01')).chargeMinor).toBe(1429);
  });
});

describe('NONE', () => {
  it('never charges', () => {
    expect(terminationCharge({ kind: 'NONE' }, period, FEE, period.start).chargeMinor).toBe(0);
  });
});
