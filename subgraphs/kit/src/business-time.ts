/**
 * Business time: SLA arithmetic on opening-hours calendars. Pure (no I/O, no clock: callers pass `now`).
 *
 * - A calendar is weekly opening hours in an IANA time zone (several ranges a day, or none), or 24×7
 *   (`alwaysOpen`), less holidays: whole local dates, or partial closures ("HH:MM"–"HH:MM") on a date.
 *   Holidays close 24×7 calendars too. Calendars are compiled once per object: treat them as immutable.
 * - Wall times become instants with luxon in the calendar's zone, so DST days are 23 or 25 hours long.
 *   A wall time skipped by DST moves forward by the gap (luxon's and java.time's rule); a range that comes
 *   out empty or inverted is dropped. A repeated wall time is read as luxon resolves it (the later
 *   occurrence: 01:30 on Dublin's or New York's autumn night is in winter time).
 * - Pauses are [from, to) instant ranges during which the clock does not run; `to: null` is open-ended
 *   (paused now, resuming at an unknown time). Pauses may overlap each other and closed hours.
 * - `addBusinessTime` is the earliest instant at which `minutes` of open, unpaused time have elapsed since
 *   `start`: a target ending exactly at closing time falls due at closing time, not the next opening.
 *   Zero minutes is due at `start` itself, open or not. Null when an open-ended pause stops the clock first.
 * - `businessTimeBetween` is the open, unpaused time in [from, to), in minutes (fractional when the
 *   instants are not whole minutes); zero when `to` is not after `from`.
 * - `slaClock` reads one target at `now`. An open-ended pause is taken to end at `now`: while paused,
 *   `dueAt` is projected as if the clock resumed now (it moves later as the pause lasts) and
 *   `paused` is true. `breached` is `now >= dueAt` (a breach before a pause stays a breach).
 *   `elapsedMinutes` is whole minutes elapsed (rounded down), `remainingMinutes` whole minutes left
 *   (rounded up, 0 exactly when breached). A stopped clock (responded, resolved) is read with `now` = the stop.
 */
import { type BusinessCalendar, openRanges, subtract } from './business-time/calendar.js';

export { type BusinessCalendar, type Holiday, type OpeningHours, WEEKDAYS, type Weekday } from './business-time/calendar.js';
export { canonicalTimeZone, parseBusinessCalendar } from './business-time/parse.js';

/** The clock stops from `from` until `to`; `to: null` = still paused. */
export type Pause = { from: Date; to?: Date | null };

export type SlaClock = { dueAt: Date; elapsedMinutes: number; remainingMinutes: number; breached: boolean; paused: boolean };

export type SlaClockInput = {
  calendar: BusinessCalendar;
  startedAt: Date;
  targetMinutes: number;
  pauses?: readonly Pause[];
  now: Date;
};

const MINUTE = 60_000;

function toMs(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`Business time must be a non-negative number of minutes: ${minutes}`);
  return Math.round(minutes * MINUTE);
}

/** Pauses as sorted [from, to) ms ranges; open-ended ones run to +Infinity. */
const pauseRanges = (pauses: readonly Pause[]): [number, number][] =>
  pauses.map((p): [number, number] => [p.from.getTime(), p.to == null ? Infinity : p.to.getTime()]).sort((a, b) => a[0] - b[0]);

function addMs(calendar: BusinessCalendar, start: Date, ms: number, pauses: readonly Pause[]): number | null {
  const startMs = start.getTime();
  if (ms === 0) return startMs;
  const cuts = pauseRanges(pauses);
  const stoppedFrom = Math.min(...cuts.filter(([, to]) => to === Infinity).map(([from]) => from));
  let left = ms;
  for (const range of openRanges(calendar, startMs)) {
    if (range[0] >= stoppedFrom) return null;
    for (const [a, b] of subtract([range], cuts)) {
      if (b - a >= left) return a + left;
      left -= b - a;
    }
  }
  return null; // unreachable: openRanges never ends
}

function betweenMs(calendar: BusinessCalendar, from: Date, to: Date, pauses: readonly Pause[]): number {
  const [fromMs, toMs] = [from.getTime(), to.getTime()];
  if (toMs <= fromMs) return 0;
  const cuts = pauseRanges(pauses);
  let total = 0;
  for (const [a, b] of openRanges(calendar, fromMs)) {
    if (a >= toMs) break;
    for (const [c, d] of subtract([[a, Math.min(b, toMs)]], cuts)) total += d - c;
  }
  return total;
}

/** The instant `minutes` of business time after `start` (see the header); null if a pause never ends. */
export function addBusinessTime(calendar: BusinessCalendar, start: Date, minutes: number, pauses: readonly Pause[] = []): Date | null {
  const due = addMs(calendar, start, toMs(minutes), pauses);
  return due == null ? null : new Date(due);
}

/** Business minutes in [from, to), less pauses (see the header). */
export function businessTimeBetween(calendar: BusinessCalendar, from: Date, to: Date, pauses: readonly Pause[] = []): number {
  return betweenMs(calendar, from, to, pauses) / MINUTE;
}

/** One SLA target read at `now` (see the header for paused clocks and rounding). */
export function slaClock({ calendar, startedAt, targetMinutes, pauses = [], now }: SlaClockInput): SlaClock {
  const nowMs = now.getTime();
  const targetMs = toMs(targetMinutes);
  const paused = pauses.some((p) => p.from.getTime() <= nowMs && (p.to == null || nowMs < p.to.getTime()));
  const known = pauses.map((p) => ({ from: p.from, to: p.to ?? new Date(Math.max(nowMs, p.from.getTime())) }));
  const elapsedMs = betweenMs(calendar, startedAt, now, known);
  const dueAt = new Date(addMs(calendar, startedAt, targetMs, known)!);
  return {
    dueAt,
    elapsedMinutes: Math.floor(elapsedMs / MINUTE),
    remainingMinutes: Math.max(0, Math.ceil((targetMs - elapsedMs) / MINUTE)),
    breached: nowMs >= dueAt.getTime(),
    paused,
  };
}
