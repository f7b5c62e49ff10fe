import { type Checks, toMinor } from '@dcrm/kit';
import type { ErrorCode } from '../promotion.errors.js';

/** The most a decisioning amount may be (a rule's cost, a brand's daily budget): 20,000,000.00, so minor units fit an int column. */
export const MAX_AMOUNT_MINOR = 2_000_000_000;

/**
 * A money amount given as a Decimal string (the brand's currency), checked and turned into minor units:
 * at most two decimals (INVALID), 0 to MAX_AMOUNT_MINOR (OUT_OF_RANGE). null/undefined pass through as null.
 */
export function amountMinor(checks: Checks<ErrorCode>, amount: string | null | undefined, field: string[]): number | null {
  if (amount == null) return null;
  let minor: number;
  try {
    minor = toMinor(amount);
  } catch {
    checks.add('INVALID', 'An amount in the brand currency with at most two decimals, e.g. "12.50"', field);
    return null;
  }
  if (minor < 0 || minor > MAX_AMOUNT_MINOR) checks.add('OUT_OF_RANGE', 'From 0 to 20000000.00', field);
  return minor;
}
