import { DateTime } from 'luxon';

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Open from `from` to `to` (local wall times "HH:MM", `to` may be "24:00") every `day`. */
export type OpeningHours = { day: Weekday; from: string; to: string };

/** Closed on a local date: the whole day, or only from `from` to `to` (both "HH:MM") when given. */
export type Holiday = { date: string; from?: string | null; to?: string | null; name?: string | null };

/**
 * When a business clock runs: weekly opening hours in an IANA time zone, less holidays.
 * `alwaysOpen` (24×7) ignores `weekly`; holidays still close it.
 */
export type BusinessCalendar = { timeZone: string; alwaysOpen?: boolean; weekly: OpeningHours[]; holidays?: Holiday[] };

/** A local calendar date. */
export type LocalDate = { year: number; month: number; day: number };

type Range = [number, number];
type Compiled = { zone: string; weekly: Range[][]; closed: Map<string, Range[] | 'ALL'> };

const cache = new WeakMap<BusinessCalendar, Compiled>();

/** Minutes since local midnight of "HH:MM" ("24:00" = 1440). */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const isoDate = (d: LocalDate): string =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

function compile(calendar: BusinessCalendar): Compiled {
  const hit = cache.get(calendar);
  if (hit) return hit;
  const weekly: Range[][] = WEEKDAYS.map(() => []);
  if (calendar.alwaysOpen) for (const day of weekly) day.push([0, 1440]);
  else for (const h of calendar.weekly) weekly[WEEKDAYS.indexOf(h.day)]!.push([minutesOf(h.from), minutesOf(h.to)]);
  for (const day of weekly) day.sort((a, b) => a[0] - b[0]);
  if (weekly.every((day) => day.every(([a, b]) => b <= a))) throw new Error('Business calendar has no opening hours');
  const closed = new Map<string, Range[] | 'ALL'>();
  for (const h of calendar.holidays ?? []) {
    const prior = closed.get(h.date);
    if (h.from == null || h.to == null) closed.set(h.date, 'ALL');
    else if (prior !== 'ALL') closed.set(h.date, [...(prior ?? []), [minutesOf(h.from), minutesOf(h.to)]]);
  }
  const compiled = { zone: calendar.timeZone, weekly, closed };
  cache.set(calendar, compiled);
  return compiled;
}

/** `ranges` less `cuts`; both sorted by start, results sorted and non-empty. */
export function subtract(ranges: Range[], cuts: readonly Range[]): Range[] {
  let out = ranges.filter(([a, b]) => b > a);
  for (const [c, d] of cuts) {
    if (d <= c) continue;
    out = out.flatMap(([a, b]): Range[] => {
      if (d <= a || c >= b) return [[a, b]];
      return [...(c > a ? [[a, c] as Range] : []), ...(d < b ? [[d, b] as Range] : [])];
    });
  }
  return out;
}

const nextDate = (d: LocalDate): LocalDate => {
  const n = DateTime.utc(d.year, d.month, d.day).plus({ days: 1 });
  return { year: n.year, month: n.month, day: n.day };
};

/** The instant of a local wall time; a time skipped by a DST change moves forward (luxon's rule). */
function instant(zone: string, date: LocalDate, minutes: number): number {
  const d = minutes >= 1440 ? nextDate(date) : date;
  const m = minutes % 1440;
  return DateTime.fromObject({ ...d, hour: Math.floor(m / 60), minute: m % 60 }, { zone }).toMillis();
}

/** Open hours of one local date, as [from, to) epoch-millisecond ranges. */
function openOn(c: Compiled, date: LocalDate): Range[] {
  const weekday = DateTime.utc(date.year, date.month, date.day).weekday - 1;
  const closed = c.closed.get(isoDate(date));
  if (closed === 'ALL') return [];
  const cuts = closed ? [...closed].sort((a, b) => a[0] - b[0]) : [];
  const ranges = subtract(c.weekly[weekday]!, cuts).map(([a, b]): Range => [instant(c.zone, date, a), instant(c.zone, date, b)]);
  // A range inside an hour skipped by DST comes out empty or inverted.
  return ranges.filter(([a, b]) => b > a);
}

// Longest run of closed days tolerated before a calendar counts as never opening.
const MAX_CLOSED_DAYS = 3660;

/** Open [from, to) ranges (epoch ms) at or after `fromMs`, in order, without end. */
export function* openRanges(calendar: BusinessCalendar, fromMs: number): Generator<Range> {
  const c = compile(calendar);
  const start = DateTime.fromMillis(fromMs, { zone: c.zone });
  let date: LocalDate = { year: start.year, month: start.month, day: start.day };
  let closedDays = 0;
  for (;;) {
    const ranges = subtract(openOn(c, date), [[-Infinity, fromMs]]);
    closedDays = ranges.length ? 0 : closedDays + 1;
    if (closedDays > MAX_CLOSED_DAYS) throw new Error('Business calendar never opens');
    yield* ranges;
    date = nextDate(date);
  }
}
