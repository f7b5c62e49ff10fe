import { describe, expect, it } from 'vitest';
import { addBusinessTime, canonicalTimeZone, parseBusinessCalendar } from './business-time.js';

const errors = (input: unknown, path?: string[]) => {
  const result = parseBusinessCalendar(input, path);
  return result.ok ? [] : result.errors.map((e) => ({ code: e.code, field: e.field?.join('.') }));
};

describe('parseBusinessCalendar', () => {
  it('normalises a valid calendar: canonical zone, hours and holidays sorted', () => {
    const result = parseBusinessCalendar({
      timeZone: 'europe/dublin',
      weekly: [
        { day: 'TUESDAY', from: '13:00', to: '17:00' },
        { day: 'MONDAY', from: '09:00', to: '12:00' },
        { day: 'TUESDAY', from: '09:00', to: '13:00' },
      ],
      holidays: [
        { date: '2026-12-25', name: ' Christmas Day ' },
        { date: '2026-12-24', from: '12:00', to: '24:00' },
      ],
    });
    expect(result).toEqual({
      ok: true,
      value: {
        timeZone: 'Europe/Dublin',
        alwaysOpen: false,
        weekly: [
          { day: 'MONDAY', from: '09:00', to: '12:00' },
          { day: 'TUESDAY', from: '09:00', to: '13:00' },
          { day: 'TUESDAY', from: '13:00', to: '17:00' },
        ],
        holidays: [
          { date: '2026-12-24', from: '12:00', to: '24:00', name: null },
          { date: '2026-12-25', from: null, to: null, name: 'Christmas Day' },
        ],
      },
    });
    // Ready for the arithmetic: from Thursday 24 December (closed on Thursdays) 2 hours run on Monday 09:00–11:00.
    const calendar = result.ok ? result.value : null;
    expect(addBusinessTime(calendar!, new Date('2026-12-24T11:00:00Z'), 120)?.toISOString()).toBe('2026-12-28T11:00:00.000Z');
  });

  it('accepts a 24×7 calendar without weekly hours', () => {
    expect(parseBusinessCalendar({ timeZone: 'Asia/Kolkata', alwaysOpen: true })).toEqual({
      ok: true,
      value: { timeZone: 'Asia/Kolkata', alwaysOpen: true, weekly: [], holidays: [] },
    });
  });

  it('reports every problem at once, with the field under the given path', () => {
    const input = {
      timeZone: 'Mars/Olympus_Mons',
      weekly: [
        { day: 'MONDAY', from: '9:00', to: '17:00' },
        { day: 'FUNDAY', from: '09:00', to: '17:00' },
        { day: 'TUESDAY', from: '17:00', to: '09:00' },
        { day: 'WEDNESDAY', from: '09:00', to: '25:00' },
        { day: 'THURSDAY', from: '09:00', to: '13:00' },
        { day: 'THURSDAY', from: '12:30', to: '17:00' },
        { day: 'FRIDAY', from: '09:00', to: '12:00' },
        { day: 'FRIDAY', from: '12:00', to: '17:00' },
        'SATURDAY',
      ],
      holidays: [
        { date: '2026-02-30' },
        { date: '2026-12-24', from: '12:00' },
        { date: '2027-01-01' },
        { date: '2027-01-01', from: '09:00', to: '10:00' },
      ],
    };
    expect(errors(input, ['input', 'calendar'])).toEqual([
      { code: 'INVALID', field: 'input.calendar.timeZone' },
      { code: 'INVALID', field: 'input.calendar.weekly.0.from' },
      { code: 'INVALID', field: 'input.calendar.weekly.1.day' },
      { code: 'INVALID', field: 'input.calendar.weekly.2.to' },
      { code: 'INVALID', field: 'input.calendar.weekly.3.to' },
      { code: 'INVALID', field: 'input.calendar.weekly.8' },
      { code: 'OVERLAP', field: 'input.calendar.weekly.5' },
      { code: 'INVALID', field: 'input.calendar.holidays.0.date' },
      { code: 'INVALID', field: 'input.calendar.holidays.1.to' },
      { code: 'DUPLICATE', field: 'input.calendar.holidays.3' },
    ]);
  });

  it('explains what is wrong in words', () => {
    const result = parseBusinessCalendar({ timeZone: 'UTC', weekly: [{ day: 'MONDAY', from: '22:00', to: '02:00' }] });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          code: 'INVALID',
          field: ['weekly', '0', 'to'],
          message: 'Must be later than the opening time (overnight hours: split them at midnight)',
        },
      ],
    });
    expect(
      parseBusinessCalendar({
        timeZone: 'UTC',
        weekly: [
          { day: 'MONDAY', from: '09:00', to: '12:00' },
          { day: 'MONDAY', from: '11:00', to: '13:00' },
        ],
      }),
    ).toMatchObject({
      errors: [{ code: 'OVERLAP', message: 'Overlaps 09:00–12:00 on the same day' }],
    });
  });

  it.each([
    ['not an object', 'Europe/Dublin', ''],
    ['no opening hours', { timeZone: 'UTC', weekly: [] }, 'weekly'],
    [
      'weekly hours on a 24×7 calendar',
      { timeZone: 'UTC', alwaysOpen: true, weekly: [{ day: 'MONDAY', from: '09:00', to: '17:00' }] },
      'weekly',
    ],
    ['alwaysOpen not a boolean', { timeZone: 'UTC', alwaysOpen: 'yes' }, 'alwaysOpen'],
    ['weekly not a list', { timeZone: 'UTC', weekly: {} }, 'weekly'],
    ['too many holidays', { timeZone: 'UTC', alwaysOpen: true, holidays: Array(1001).fill({ date: '2026-12-25' }) }, 'holidays'],
    ['a missing time zone', { alwaysOpen: true }, 'timeZone'],
  ])('rejects %s', (_, input, field) => {
    expect(errors(input).map((e) => e.field)).toEqual([field]);
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['Europe/Dublin', 'Europe/Dublin'],
    ['america/new_york', 'America/New_York'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['UTC', 'UTC'],
    ['GMT+1', null],
    ['Europe/Atlantis', null],
    ['', null],
    [42, null],
  ])('%s → %s', (zone, canonical) => {
    expect(canonicalTimeZone(zone)).toBe(canonical);
  });
});
