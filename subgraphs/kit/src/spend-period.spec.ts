import { describe, expect, it } from 'vitest';
import { periodBounds, validTimeZone } from './spend-period.js';

describe('periodBounds', () => {
  it('months turn over at local midnight', () => {
    // 23:30 UTC on 31 March is already 1 April in Dublin (IST, UTC+1).
    const { start, end } = periodBounds('MONTH', 'Europe/Dublin', new Date('2026-03-31T23:30:00Z'));
    expect(start.toISOString()).toBe('2026-03-31T23:00:00.000Z');
    expect(end.toISOString()).toBe('2026-04-30T23:00:00.000Z');
  });

  it('quarters start in January, April, July and October', () => {
    const { start, end } = periodBounds('QUARTER', 'UTC', new Date('2026-05-15T10:00:00Z'));
    expect([start.toISOString(), end.toISOString()]).toEqual(['2026-04-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z']);
  });

  it('years span the zone’s calendar year, and an unknown zone is UTC', () => {
    const kolkata = periodBounds('YEAR', 'Asia/Kolkata', new Date('2026-12-31T20:00:00Z'));
    expect(kolkata.start.toISOString()).toBe('2026-12-31T18:30:00.000Z');
    const unknown = periodBounds('YEAR', 'Mars/Olympus', new Date('2026-06-01T00:00:00Z'));
    expect(unknown.start.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect([validTimeZone('Europe/Dublin'), validTimeZone('Mars/Olympus')]).toEqual([true, false]);
  });
});
