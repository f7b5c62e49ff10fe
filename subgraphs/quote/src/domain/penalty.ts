import { fromMinor } from '@dcrm/kit';

/**
 * Early-termination charges of a contract, in integer minor units (no floats anywhere).
 *
 * Months are calendar months counted from the period's start in UTC: month k runs from start + k
 * months to start + k+1 months (the day clamped to the month's last day, so 31 Jan + 1 month is
 * 28/29 Feb). A month that has started counts as remaining: terminating on the first day of the last
 * month leaves 1 remaining month; at or after the period's end nothing remains and nothing is charged.
 *
 * Rules (a contract's terms carry one):
 * - NONE: no charge.
 * - REMAINING_MONTHS: remaining months × monthly fee × percentage (basis points: 5000 = 50%).
 * - FIXED: the amount while the term runs, 0 after it.
 * - DECLINING: the amount falling in equal steps every `stepMonths` months (1 = linearly by month):
 *   amount × steps remaining ÷ steps in the term, where steps in the term = ⌈term ÷ stepMonths⌉.
 *
 * Rounding: the exact product is computed with BigInt and rounded half up to the minor unit, once.
 */
export type TerminationRule =
  | { kind: 'NONE' }
  | { kind: 'REMAINING_MONTHS'; percentBp: number }
  | { kind: 'FIXED'; amountMinor: number }
  | { kind: 'DECLINING'; amountMinor: number; stepMonths: number };

export type TerminationRuleKind = TerminationRule['kind'];

export type Period = { start: Date; end: Date };

export type TerminationCharge = { chargeMinor: number; remainingMonths: number; termMonths: number; explanation: string };

/** `date` plus `months` calendar months in UTC, the day clamped to the target month's length. */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      target.getUTCFullYear(),
      target.getUTCMonth(),
      Math.min(date.getUTCDate(), lastDay),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    ),
  );
}

/** Whole calendar months between `start` and `at` (0 before the start). */
export function monthsElapsed(start: Date, at: Date): number {
  if (at.getTime() <= start.getTime()) return 0;
  let k = (at.getUTCFullYear() - start.getUTCFullYear()) * 12 + (at.getUTCMonth() - start.getUTCMonth());
  while (k > 0 && addMonths(start, k).getTime() > at.getTime()) k -= 1;
  while (addMonths(start, k + 1).getTime() <= at.getTime()) k += 1;
  return k;
}

/** Months in the period (its term). */
export const termMonths = (period: Period): number => Math.max(1, monthsElapsed(period.start, period.end));

/** Months not yet fully elapsed at `at` (the current month counts); 0 at or after the end. */
export function remainingMonths(period: Period, at: Date): number {
  if (at.getTime() >= period.end.getTime()) return 0;
  return Math.max(0, termMonths(period) - monthsElapsed(period.start, at));
}

/** a × b ÷ c rounded half up, exactly (non-negative integers). */
export function mulDivRound(a: number, b: number, c: number): number {
  const n = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  return Number((n * 2n + d) / (d * 2n));
}

const fmt = fromMinor;

/** The charge for terminating at `at` a contract of this period, monthly fee (minor units) and rule. */
export function terminationCharge(rule: TerminationRule, period: Period, monthlyFeeMinor: number, at: Date): TerminationCharge {
  const term = termMonths(period);
  const remaining = remainingMonths(period, at);
  const result = (chargeMinor: number, explanation: string) => ({ chargeMinor, remainingMonths: remaining, termMonths: term, explanation });
  if (remaining === 0) return result(0, 'The term has ended: no early-termination charge');
  switch (rule.kind) {
    case 'NONE':
      return result(0, 'No early-termination charge');
    case 'REMAINING_MONTHS': {
      const charge = mulDivRound(remaining * monthlyFeeMinor, rule.percentBp, 10_000);
      return result(charge, `${remaining} remaining month(s) × ${fmt(monthlyFeeMinor)} × ${fmt(rule.percentBp)}%`);
    }
    case 'FIXED':
      return result(rule.amountMinor, `Fixed charge of ${fmt(rule.amountMinor)} during the term`);
    case 'DECLINING': {
      const step = Math.max(1, rule.stepMonths);
      const steps = Math.ceil(term / step);
      const left = steps - Math.floor(monthsElapsed(period.start, at) / step);
      const charge = mulDivRound(rule.amountMinor, Math.max(0, left), steps);
      return result(charge, `${fmt(rule.amountMinor)} declining every ${step} month(s): ${left} of ${steps} step(s) left`);
    }
  }
}

/** The rule as GraphQL shows it (amounts become decimals in the resolver). */
export type RuleView = TerminationRule;
