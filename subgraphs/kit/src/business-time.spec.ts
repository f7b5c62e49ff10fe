import { describe, expect, it } from 'vitest';
import { addBusinessTime, type BusinessCalendar, businessTimeBetween, type OpeningHours, type Weekday } from './business-time.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;
const days = (list: Weekday[], ...ranges: [string, string][]): OpeningHours[] =>
  list.flatMap((day) => ranges.map(([from, to]) => ({ day, from, to })));
const WORKDAYS: Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];

// Dublin is on GMT (UTC+0) in winter and IST (UTC+1) from 2026-03-29 to 2026-10-25.
const dublin: BusinessCalendar = {
  timeZone: 'Europe/Dublin',
  weekly: days(WORKDAYS, ['09:00', '17:00']),
  holidays: [
    { date: '2026-03-17', name: "St Patrick's Day" },
    { date: '2026-12-24', from: '12:00', to: '17:00', name: 'Christmas Eve afternoon' },
    { date: '2026-12-25', name: 'Christmas Day' },
  ],
};
// New York: EST (UTC−5) until 2026-03-08, EDT (UTC−4) until 2026-11-01; closed for lunch.
const newYork: BusinessCalendar = { timeZone: 'America/New_York', weekly: days(WORKDAYS, ['09:00', '12:00'], ['13:00', '17:00']) };
// Kolkata: UTC+05:30 all year, open Monday to Saturday.
const kolkata: BusinessCalendar = { timeZone: 'Asia/Kolkata', weekly: days([...WORKDAYS, 'SATURDAY'], ['10:00', '18:00']) };
const utc24x7: BusinessCalendar = { timeZone: 'UTC', alwaysOpen: true, weekly: [] };

describe('addBusinessTime', () => {
  it.each([
    ['within a day', '2026-11-30T10:00:00Z', 60, '2026-11-30T11:00:00.000Z'],
    ['ending exactly at closing time', '2026-11-30T16:00:00Z', 60, '2026-11-30T17:00:00.000Z'],
    ['across a weekend', '2026-11-27T16:00:00Z', 120, '2026-11-30T10:00:00.000Z'],
    ['from a Saturday', '2026-11-28T12:00:00Z', 30, '2026-11-30T09:30:00.000Z'],
    ['from before opening', '2026-12-01T06:00:00Z', 30, '2026-12-01T09:30:00.000Z'],
    ['from after closing', '2026-11-30T18:00:00Z', 30, '2026-12-01T09:30:00.000Z'],
    ['five full days', '2026-11-30T09:00:00Z', 5 * 480, '2026-12-04T17:00:00.000Z'],
    ['five days and a minute', '2026-11-30T09:00:00Z', 5 * 480 + 1, '2026-12-07T09:01:00.000Z'],
    ['over a public holiday', '2026-03-16T16:00:00Z', 120, '2026-03-18T10:00:00.000Z'],
    ['over a half-day closure, a holiday and a weekend', '2026-12-24T10:00:00Z', 180, '2026-12-28T10:00:00.000Z'],
    ['into summer time (Mon 10:00 IST)', '2026-03-27T16:00:00Z', 120, '2026-03-30T09:00:00.000Z'],
    ['out of summer time (Fri 16:00 IST)', '2026-10-23T15:00:00Z', 120, '2026-10-26T10:00:00.000Z'],
  ])('Dublin: %s', (_, start, minutes, due) => {
    expect(iso(addBusinessTime(dublin, at(start), minutes))).toBe(due);
  });

  it.each([
    ['over lunch', '2026-11-30T16:30:00Z', 60, '2026-11-30T18:30:00.000Z'],
    ['into daylight time (Fri 16:00 EST → Mon 10:00 EDT)', '2026-03-06T21:00:00Z', 120, '2026-03-09T14:00:00.000Z'],
    ['out of daylight time (Fri 16:30 EDT → Mon 13:30 EST)', '2026-10-30T20:30:00Z', 240, '2026-11-02T18:30:00.000Z'],
  ])('New York: %s', (_, start, minutes, due) => {
    expect(iso(addBusinessTime(newYork, at(start), minutes))).toBe(due);
  });

  it('Kolkata: half-hour offset, Saturday open, Sunday closed', () => {
    // Sat 17:00 IST + 90 min = 60 min on Saturday, then Mon 10:30 IST.
    expect(iso(addBusinessTime(kolkata, at('2026-11-28T11:30:00Z'), 90))).toBe('2026-11-30T05:00:00.000Z');
    // From 04:00 UTC (09:30 IST) the clock starts at 10:00 IST.
    expect(iso(addBusinessTime(kolkata, at('2026-11-30T04:00:00Z'), 1))).toBe('2026-11-30T04:31:00.000Z');
  });

  it('24×7 counts elapsed time, also across a DST change', () => {
    expect(iso(addBusinessTime(utc24x7, at('2026-11-28T12:00:00Z'), 90))).toBe('2026-11-28T13:30:00.000Z');
    const dublin24x7: BusinessCalendar = { timeZone: 'Europe/Dublin', alwaysOpen: true, weekly: [] };
    expect(iso(addBusinessTime(dublin24x7, at('2026-03-28T12:00:00Z'), 24 * 60))).toBe('2026-03-29T12:00:00.000Z');
    // Holidays still close a 24×7 calendar (whole local days).
    const withHoliday = { ...dublin24x7, holidays: [{ date: '2026-12-25' }] };
    expect(iso(addBusinessTime(withHoliday, at('2026-12-24T23:00:00Z'), 120))).toBe('2026-12-26T01:00:00.000Z');
  });

  it('zero minutes fall due at the start, open or not', () => {
    expect(iso(addBusinessTime(dublin, at('2026-11-28T12:00:00Z'), 0))).toBe('2026-11-28T12:00:00.000Z');
  });

  it('a pause over the night holds the clock', () => {
    const pause = { from: at('2026-11-30T16:00:00Z'), to: at('2026-12-01T10:00:00Z') };
    expect(iso(addBusinessTime(dublin, at('2026-11-30T15:00:00Z'), 180))).toBe('2026-12-01T10:00:00.000Z');
    expect(iso(addBusinessTime(dublin, at('2026-11-30T15:00:00Z'), 180, [pause]))).toBe('2026-12-01T12:00:00.000Z');
    // Overlapping pauses count once.
    const split = [
      { from: at('2026-11-30T16:00:00Z'), to: at('2026-11-30T18:00:00Z') },
      { from: at('2026-11-30T17:00:00Z'), to: at('2026-12-01T10:00:00Z') },
    ];
    expect(iso(addBusinessTime(dublin, at('2026-11-30T15:00:00Z'), 180, split))).toBe('2026-12-01T12:00:00.000Z');
  });

  it('an open-ended pause leaves no due time unless the target is met first', () => {
    const pause = [{ from: at('2026-11-30T16:00:00Z'), to: null }];
    expect(addBusinessTime(dublin, at('2026-11-30T15:00:00Z'), 180, pause)).toBeNull();
    expect(iso(addBusinessTime(dublin, at('2026-11-30T15:00:00Z'), 60, pause))).toBe('2026-11-30T16:00:00.000Z');
  });

  it('rejects negative durations and calendars that never open', () => {
    expect(() => addBusinessTime(dublin, at('2026-11-30T10:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addBusinessTime({ timeZone: 'UTC', weekly: [] }, at('2026-11-30T10:00:00Z'), 1)).toThrow(/no opening hours/);
  });
});

describe('businessTimeBetween', () => {
  it.each([
    ['over a weekend', dublin, '2026-11-27T16:00:00Z', '2026-11-30T10:00:00Z', 120],
    ['a week with a holiday', dublin, '2026-03-16T00:00:00Z', '2026-03-23T00:00:00Z', 4 * 480],
    ['Christmas week (half day, holiday)', dublin, '2026-12-21T00:00:00Z', '2026-12-28T00:00:00Z', 3 * 480 + 180],
    ['a part minute', dublin, '2026-11-30T10:00:30Z', '2026-11-30T10:01:00Z', 0.5],
    ['an empty interval', dublin, '2026-11-30T10:00:00Z', '2026-11-30T10:00:00Z', 0],
    ['a reversed interval', dublin, '2026-11-30T11:00:00Z', '2026-11-30T10:00:00Z', 0],
    ['a New York day with lunch', newYork, '2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z', 420],
    ['a Kolkata week', kolkata, '2026-11-29T18:30:00Z', '2026-12-06T18:30:00Z', 6 * 480],
  ])('%s', (_, calendar, from, to, minutes) => {
    expect(businessTimeBetween(calendar, at(from), at(to))).toBe(minutes);
  });

  it('local days are 23 and 25 hours long on DST changes', () => {
    const always: BusinessCalendar = { timeZone: 'Europe/Dublin', alwaysOpen: true, weekly: [], holidays: [{ date: '2026-03-29' }] };
    expect(businessTimeBetween(always, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(24 * 60 + 60);
    // Sunday 00:00–03:00 local: the hour 01:00–02:00 does not exist in spring and 01:00–02:00 repeats in autumn.
    const nights: BusinessCalendar = { timeZone: 'Europe/Dublin', weekly: [{ day: 'SUNDAY', from: '00:00', to: '03:00' }] };
    expect(businessTimeBetween(nights, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(120);
    expect(businessTimeBetween(nights, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(240);
    // Wall times in the skipped hour move forward by an hour: 01:15–01:45 opens 02:15–02:45 IST,
    // while 01:30–02:00 would end (02:00 IST) before it starts (02:30 IST) and is dropped.
    const spring = [at('2026-03-29T00:00:00Z'), at('2026-03-30T00:00:00Z')] as const;
    const gap = (from: string, to: string): BusinessCalendar => ({ timeZone: 'Europe/Dublin', weekly: [{ day: 'SUNDAY', from, to }] });
    expect(businessTimeBetween(gap('01:15', '01:45'), ...spring)).toBe(30);
    expect(iso(addBusinessTime(gap('01:15', '01:45'), spring[0], 1))).toBe('2026-03-29T01:16:00.000Z');
    expect(businessTimeBetween(gap('01:30', '02:00'), ...spring)).toBe(0);
  });

  it('leaves out pauses, open-ended ones up to the end', () => {
    const from = at('2026-11-30T09:00:00Z');
    const to = at('2026-12-01T17:00:00Z');
    expect(businessTimeBetween(dublin, from, to, [{ from: at('2026-11-30T16:00:00Z'), to: at('2026-12-01T10:00:00Z') }])).toBe(960 - 120);
    expect(businessTimeBetween(dublin, from, to, [{ from: at('2026-12-01T16:00:00Z'), to: null }])).toBe(960 - 60);
    expect(businessTimeBetween(dublin, from, to, [{ from: at('2026-11-29T00:00:00Z') }])).toBe(0);
  });

  it('measures back what addBusinessTime added', () => {
    for (const calendar of [dublin, newYork, kolkata, utc24x7])
      for (const start of ['2026-03-06T21:00:00Z', '2026-10-23T15:00:00Z', '2026-12-23T13:17:00Z'])
        for (const minutes of [1, 59, 480, 1000, 4321]) {
          const due = addBusinessTime(calendar, at(start), minutes)!;
          expect(businessTimeBetween(calendar, at(start), due)).toBe(minutes);
        }
  });
});

describe('unvalidated calendars', () => {
  it('count overlapping weekly ranges once', () => {
    const overlapping: BusinessCalendar = { timeZone: 'UTC', weekly: days(['MONDAY'], ['09:00', '13:00'], ['12:00', '17:00']) };
    expect(businessTimeBetween(overlapping, at('2026-11-30T00:00:00Z'), at('2026-12-01T00:00:00Z'))).toBe(480);
  });
});
