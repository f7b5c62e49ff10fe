import { DateTime, IANAZone } from 'luxon';
import { ok, type Result } from '../errors.js';
import { Checks } from '../validate.js';

/** The codes calendar validation reports. */
export type CalendarErrorCode = 'DUPLICATE' | 'INVALID' | 'OVERLAP' | 'REQUIRED' | 'TOO_LONG';
type CalendarChecks = Checks<CalendarErrorCode>;

import { type BusinessCalendar, type Holiday, minutesOf, type OpeningHours, WEEKDAYS, type Weekday } from './calendar.js';

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_RANGES = 100;
const MAX_HOLIDAYS = 1000;

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] | null => (v == null ? [] : Array.isArray(v) ? v : null);

/**
 * A valid IANA zone name, or null. Spelling is fixed when ICU knows the name in other case
 * ("europe/dublin" → "Europe/Dublin"); links stay as given (ICU would turn Asia/Kolkata into Asia/Calcutta).
 */
export function canonicalTimeZone(zone: unknown): string | null {
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) return null;
  const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

function time(c: CalendarChecks, value: unknown, field: string[], allowMidnightEnd: boolean): string | null {
  if (typeof value === 'string' && (HHMM.test(value) || (allowMidnightEnd && value === '24:00'))) return value;
  c.add('INVALID', `Use a time "HH:MM" from 00:00 to ${allowMidnightEnd ? '24:00' : '23:59'}`, field);
  return null;
}

/** from < to, or an error on `to`. */
function range(c: CalendarChecks, raw: Raw, field: string[]): { from: string; to: string } | null {
  const from = time(c, raw.from, [...field, 'from'], false);
  const to = time(c, raw.to, [...field, 'to'], true);
  if (from == null || to == null) return null;
  if (minutesOf(to) > minutesOf(from)) return { from, to };
  c.add('INVALID', 'Must be later than the opening time (overnight hours: split them at midnight)', [...field, 'to']);
  return null;
}

type Span = { from: string; to: string; field: string[] };

/** Reports the later of any two overlapping spans in a group (touching ones are fine). */
function noOverlaps(c: CalendarChecks, spans: Span[], what: string): void {
  const sorted = [...spans].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
  for (const [i, span] of sorted.entries()) {
    const prev = sorted[i - 1];
    if (prev && minutesOf(span.from) < minutesOf(prev.to))
      c.add('OVERLAP', `Overlaps ${prev.from}–${prev.to} on the same ${what}`, span.field);
  }
}

function weekly(c: CalendarChecks, raw: unknown, path: string[]): OpeningHours[] {
  const items = list(raw);
  if (items == null || items.length > MAX_RANGES) {
    c.add('INVALID', `Use a list of at most ${MAX_RANGES} opening hours`, path);
    return [];
  }
  const out: (OpeningHours & { field: string[] })[] = [];
  for (const [i, item] of items.entries()) {
    const field = [...path, String(i)];
    if (!isRecord(item)) {
      c.add('INVALID', 'Use { day, from, to }', field);
      continue;
    }
    const day = item.day as Weekday;
    if (!WEEKDAYS.includes(day)) c.add('INVALID', `Use one of ${WEEKDAYS.join(', ')}`, [...field, 'day']);
    const hours = range(c, item, field);
    if (hours && WEEKDAYS.includes(day)) out.push({ day, ...hours, field });
  }
  for (const day of WEEKDAYS)
    noOverlaps(
      c,
      out.filter((h) => h.day === day),
      'day',
    );
  return out
    .map(({ field, ...h }) => h)
    .sort((a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || minutesOf(a.from) - minutesOf(b.from));
}

function holidays(c: CalendarChecks, raw: unknown, path: string[]): Holiday[] {
  const items = list(raw);
  if (items == null || items.length > MAX_HOLIDAYS) {
    c.add('INVALID', `Use a list of at most ${MAX_HOLIDAYS} holidays`, path);
    return [];
  }
  const out: (Holiday & { field: string[] })[] = [];
  for (const [i, item] of items.entries()) {
    const field = [...path, String(i)];
    if (!isRecord(item)) {
      c.add('INVALID', 'Use { date, from?, to?, name? }', field);
      continue;
    }
    const date = typeof item.date === 'string' && DATE.test(item.date) && DateTime.fromISO(item.date).isValid ? item.date : null;
    if (date == null) c.add('INVALID', 'Use a real date "YYYY-MM-DD"', [...field, 'date']);
    const name = typeof item.name === 'string' && item.name.trim() ? item.name.trim() : null;
    if (name != null && name.length > 100) c.add('TOO_LONG', 'At most 100 characters', [...field, 'name']);
    const whole = item.from == null && item.to == null;
    const hours = whole ? null : range(c, item, field);
    if (date != null && (whole || hours)) out.push({ date, from: hours?.from ?? null, to: hours?.to ?? null, name, field });
  }
  for (const date of new Set(out.map((h) => h.date))) {
    const same = out.filter((h) => h.date === date);
    if (same.length > 1 && same.some((h) => h.from == null)) c.add('DUPLICATE', `${date} is listed more than once`, same[1]!.field);
    else noOverlaps(c, same.filter((h) => h.from != null) as Span[], 'date');
  }
  return out.map(({ field, ...h }) => h).sort((a, b) => a.date.localeCompare(b.date) || (a.from ?? '').localeCompare(b.from ?? ''));
}

/**
 * Checks calendar data from GraphQL input or a JSON column and returns it normalised (canonical zone,
 * sorted hours and holidays) or every problem at once, with fields under `path`.
 */
export function parseBusinessCalendar(input: unknown, path: string[] = []): Result<BusinessCalendar, CalendarErrorCode> {
  const c = new Checks<CalendarErrorCode>();
  if (!isRecord(input)) {
    c.add('INVALID', 'Use { timeZone, alwaysOpen?, weekly, holidays? }', path);
    return { ok: false, errors: c.errors };
  }
  const timeZone = canonicalTimeZone(input.timeZone);
  if (timeZone == null) c.add('INVALID', 'Use an IANA time zone such as Europe/Dublin', [...path, 'timeZone']);
  if (input.alwaysOpen != null && typeof input.alwaysOpen !== 'boolean') c.add('INVALID', 'Use true or false', [...path, 'alwaysOpen']);
  const alwaysOpen = input.alwaysOpen === true;
  const hours = weekly(c, input.weekly, [...path, 'weekly']);
  if (alwaysOpen && hours.length) c.add('INVALID', 'Leave weekly hours empty on a calendar open 24×7', [...path, 'weekly']);
  if (!alwaysOpen && !hours.length && c.ok) c.add('REQUIRED', 'Give opening hours for at least one day, or open 24×7', [...path, 'weekly']);
  const closed = holidays(c, input.holidays, [...path, 'holidays']);
  if (!c.ok) return { ok: false, errors: c.errors };
  return ok({ timeZone: timeZone!, alwaysOpen, weekly: hours, holidays: closed });
}
