import { DateTime } from 'luxon';

/** The calendar periods a spend budget runs over. */
export const SPEND_PERIODS = ['MONTH', 'QUARTER', 'YEAR'] as const;
export type SpendPeriod = (typeof SPEND_PERIODS)[number];

const UNIT = { MONTH: 'month', QUARTER: 'quarter', YEAR: 'year' } as const;

/**
 * The calendar period containing `at`, as [start, end) instants: midnight on the first day of the
 * month, quarter (Jan/Apr/Jul/Oct) or year in `timeZone`, so a budget turns over at local midnight
 * whatever the offset that day. An unknown zone is read as UTC.
 */
export function periodBounds(period: SpendPeriod, timeZone: string, at: Date): { start: Date; end: Date } {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const zoned = local.isValid ? local : DateTime.fromJSDate(at, { zone: 'UTC' });
  const start = zoned.startOf(UNIT[period]);
  const end = start.plus({ [`${UNIT[period]}s`]: 1 });
  return { start: start.toJSDate(), end: end.toJSDate() };
}

/** Whether `zone` is an IANA time zone luxon knows. */
export const validTimeZone = (zone: string): boolean => DateTime.now().setZone(zone).isValid;
