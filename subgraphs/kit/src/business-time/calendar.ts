import { DateTime } from 'luxon';

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Open from `from` to `to` (local wall times "HH:MM", `to` may be "24:00") every `day`. */
export type OpeningHours = { day: Weekday; from: string; to: string };

/** Closed on a local date: the whole day, or only from `from` to `to` (both "HH:MM") when given. */
export type Holiday = { date: string; from?: string | null; to?: string | null; name?: string | null };

/**
 * When a business clock runs: weekly opening hours in an IANA time zone, less holidays.
 * `alwaysOpen` (24×7) ignores `weekly`; holidays still close it. Check input with `parseBusinessCalendar`.
 */
export type BusinessCalendar = { timeZone: string; alwaysOpen?: boolean; weekly: OpeningHours[]; holidays?: Holiday[] };

type Range = [number, number];
type Compiled = { zone: string; weekly: Range[][]; closed: Map<string, Range[] | 'ALL'>; days: Map<string, Range[]> };

const cache = new WeakMap<BusinessCalendar, Compiled>();

/** Minutes since local midnight of "HH:MM" ("24:00" = 1440). */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

// Local dates are counted in days since 1970-01-01 (a Thursday), so stepping a day is `+ 1`.
const DAY = 86_400_000;
const isoDate = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
const weekdayIndex = (day: number): number => (((day + 3) % 7) + 7) % 7; // 0 = Monday

function compile(calendar: BusinessCalendar): Compiled {
  const hit = cache.get(calendar);
  if (hit) return hit;
  const weekly: Range[][] = WEEKDAYS.map(() => []);
  if (calendar.alwaysOpen) for (const day of weekly) day.push([0, 1440]);
  else for (const h of calendar.weekly) weekly[WEEKDAYS.indexOf(h.day)]!.push([minutesOf(h.from), minutesOf(h.to)]);
  // Unvalidated calendars may overlap ranges: merge them so no minute counts twice.
  for (const day of weekly) day.splice(0, day.length, ...merge(day));
  if (weekly.every((day) => day.every(([a, b]) => b <= a))) throw new Error('Business calendar has no opening hours');
  const closed = new Map<string, Range[] | 'ALL'>();
  for (const h of calendar.holidays ?? []) {
    const prior = closed.get(h.date);
    if (h.from == null || h.to == null) closed.set(h.date, 'ALL');
    else if (prior !== 'ALL') closed.set(h.date, [...(prior ?? []), [minutesOf(h.from), minutesOf(h.to)]]);
  }
  const compiled = { zone: calendar.timeZone, weekly, closed, days: new Map() };
  cache.set(calendar, compiled);
  return compiled;
}

function merge(ranges: Range[]): Range[] {
  const out: Range[] = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** `ranges` (sorted) less `cuts`: sorted, non-empty ranges. */
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

/** The instant of a local wall time; a time skipped by a DST change moves forward by the gap (luxon's rule). */
function instant(zone: string, day: number, minutes: number): number {
  const d = new Date((day + Math.floor(minutes / 1440)) * DAY);
  const m = minutes % 1440;
  const wall = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: Math.floor(m / 60), minute: m % 60 };
  return DateTime.fromObject(wall, { zone }).toMillis();
}

// Dates whose open ranges a compiled calendar remembers (zone conversion is the costly part).
const MAX_CACHED_DAYS = 2000;

/** Open hours of one local date, as [from, to) epoch-millisecond ranges. */
function openOn(c: Compiled, date: number): Range[] {
  const key = isoDate(date);
  const hit = c.days.get(key);
  if (hit) return hit;
  const closed = c.closed.get(key);
  const cuts = closed === 'ALL' ? [[-Infinity, Infinity] as Range] : [...(closed ?? [])].sort((a, b) => a[0] - b[0]);
  const ranges = subtract(c.weekly[weekdayIndex(date)]!, cuts)
    .map(([a, b]): Range => [instant(c.zone, date, a), instant(c.zone, date, b)])
    // A range inside an hour skipped by DST comes out empty or inverted.
    .filter(([a, b]) => b > a);
  if (c.days.size >= MAX_CACHED_DAYS) c.days.clear();
  c.days.set(key, ranges);
  return ranges;
}

// Longest run of closed days tolerated before a calendar counts as never opening.
const MAX_CLOSED_DAYS = 3660;

/** Open [from, to) ranges (epoch ms) at or after `fromMs`, in order, without end. */
export function* openRanges(calendar: BusinessCalendar, fromMs: number): Generator<Range> {
  const c = compile(calendar);
  const start = DateTime.fromMillis(fromMs, { zone: c.zone });
  let date = Math.round(Date.UTC(start.year, start.month - 1, start.day) / DAY);
  let closedDays = 0;
  for (;;) {
    const ranges = subtract(openOn(c, date), [[-Infinity, fromMs]]);
    closedDays = ranges.length ? 0 : closedDays + 1;
    if (closedDays > MAX_CLOSED_DAYS) throw new Error('Business calendar never opens');
    yield* ranges;
    date += 1;
  }
}
