import { describe, expect, it } from 'vitest';
import { type BusinessCalendar, type Pause, slaClock } from './business-time.js';
import { manualClock } from './clock.js';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
// Dublin, Mon–Fri 09:00–17:00; in winter Dublin is on UTC, so local and UTC times read the same.
const calendar: BusinessCalendar = {
  timeZone: 'Europe/Dublin',
  weekly: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'].map((day) => ({
    day,
    from: '09:00',
    to: '17:00',
  })) as BusinessCalendar['weekly'],
  holidays: [{ date: '2026-12-25' }],
};
const startedAt = at('2026-11-30T09:00:00Z'); // a Monday

describe('slaClock', () => {
  it('runs with a manual clock across the evening and the weekend', () => {
    const clock = manualClock(at('2026-11-30T11:00:00Z'));
    const read = () => slaClock({ calendar, startedAt, targetMinutes: 16 * 60, now: clock.now() });
    expect(read()).toEqual({
      dueAt: at('2026-12-01T17:00:00Z'),
      elapsedMinutes: 120,
      remainingMinutes: 840,
      breached: false,
      paused: false,
    });
    clock.advance(12 * HOUR); // 23:00, closed: nothing elapses overnight
    expect(read()).toMatchObject({ elapsedMinutes: 480, remainingMinutes: 480, breached: false });
    clock.set(at('2026-12-01T17:00:00Z')); // exactly due
    expect(read()).toMatchObject({ elapsedMinutes: 960, remainingMinutes: 0, breached: true });
    clock.set(at('2026-12-05T12:00:00Z')); // Saturday: still breached, nothing more counted than the week's hours
    expect(read()).toMatchObject({ elapsedMinutes: 5 * 480, remainingMinutes: 0, breached: true, paused: false });
  });

  it('is paused while pending on the customer, projecting the due time as if resumed now', () => {
    const clock = manualClock(at('2026-11-30T15:00:00Z'));
    const pauses: Pause[] = [{ from: at('2026-11-30T10:00:00Z'), to: null }];
    const read = () => slaClock({ calendar, startedAt, targetMinutes: 240, pauses, now: clock.now() });
    // 60 minutes ran before the pause; 180 are left from now (Mon 15:00): 120 today, 60 on Tuesday.
    expect(read()).toEqual({ dueAt: at('2026-12-01T10:00:00Z'), elapsedMinutes: 60, remainingMinutes: 180, breached: false, paused: true });
    clock.set(at('2026-12-01T09:30:00Z')); // still pending overnight: the projection moves on
    expect(read()).toMatchObject({ dueAt: at('2026-12-01T12:30:00Z'), elapsedMinutes: 60, paused: true, breached: false });
    pauses[0] = { from: at('2026-11-30T10:00:00Z'), to: at('2026-12-01T09:30:00Z') }; // the customer answered
    clock.set(at('2026-12-01T12:00:00Z'));
    expect(read()).toEqual({
      dueAt: at('2026-12-01T12:30:00Z'),
      elapsedMinutes: 210,
      remainingMinutes: 30,
      breached: false,
      paused: false,
    });
  });

  it('keeps a breach that happened before the pause', () => {
    const pauses = [{ from: at('2026-11-30T11:00:00Z'), to: null }];
    const clock = slaClock({ calendar, startedAt, targetMinutes: 60, pauses, now: at('2026-11-30T12:00:00Z') });
    expect(clock).toEqual({ dueAt: at('2026-11-30T10:00:00Z'), elapsedMinutes: 120, remainingMinutes: 0, breached: true, paused: true });
  });

  it('rounds elapsed down and remaining up to whole minutes', () => {
    const clock = slaClock({ calendar, startedAt, targetMinutes: 240, now: at('2026-11-30T09:00:30Z') });
    expect(clock).toMatchObject({ elapsedMinutes: 0, remainingMinutes: 240, breached: false });
  });

  it('counts nothing before the start or on a holiday', () => {
    const christmas = at('2026-12-24T16:00:00Z');
    const before = slaClock({ calendar, startedAt: christmas, targetMinutes: 120, now: at('2026-12-24T15:00:00Z') });
    expect(before).toEqual({ dueAt: at('2026-12-28T10:00:00Z'), elapsedMinutes: 0, remainingMinutes: 120, breached: false, paused: false });
    const onHoliday = slaClock({ calendar, startedAt: christmas, targetMinutes: 120, now: at('2026-12-25T12:00:00Z') });
    expect(onHoliday).toMatchObject({ elapsedMinutes: 60, remainingMinutes: 60, breached: false });
  });

  it('a zero target is due, and breached, at the start', () => {
    const clock = slaClock({ calendar, startedAt, targetMinutes: 0, now: startedAt });
    expect(clock).toEqual({ dueAt: startedAt, elapsedMinutes: 0, remainingMinutes: 0, breached: true, paused: false });
  });
});
