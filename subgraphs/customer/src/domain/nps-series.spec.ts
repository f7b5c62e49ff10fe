import { describe, expect, it } from 'vitest';
import { npsSummary } from './nps.js';
import { bucketStart, bucketStarts, fromCounts, npsSeries } from './nps-series.js';

const d = (iso: string) => new Date(iso);

describe('NPS buckets', () => {
  it('starts a day at UTC midnight, a week on Monday, a month on the 1st', () => {
    const at = d('2026-11-26T17:30:00Z'); // a Thursday
    expect(bucketStart(at, 'DAY').toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(bucketStart(at, 'WEEK').toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(bucketStart(d('2026-11-29T23:59:59Z'), 'WEEK').toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(bucketStart(d('2026-11-30T00:00:00Z'), 'WEEK').toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(bucketStart(at, 'MONTH').toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('covers [from, to) with every bucket, the first one starting at or before from', () => {
    const months = bucketStarts(d('2026-10-15T00:00:00Z'), d('2027-01-01T00:00:00Z'), 'MONTH');
    expect(months?.map((m) => m.toISOString().slice(0, 10))).toEqual(['2026-10-01', '2026-11-01', '2026-12-01']);
    expect(bucketStarts(d('2026-11-01T00:00:00Z'), d('2026-11-08T00:00:00Z'), 'DAY')).toHaveLength(7);
    expect(bucketStarts(d('2026-11-01T00:00:00Z'), d('2026-11-01T00:00:00Z'), 'DAY')).toEqual([]);
  });

  it('refuses a series of more than the maximum number of buckets', () => {
    expect(bucketStarts(d('2020-01-01T00:00:00Z'), d('2026-01-01T00:00:00Z'), 'DAY')).toBeNull();
    expect(bucketStarts(d('2020-01-01T00:00:00Z'), d('2026-01-01T00:00:00Z'), 'MONTH')).toHaveLength(72);
  });

  it('fills empty buckets and scores the others as npsSummary would', () => {
    const starts = bucketStarts(d('2026-11-01T00:00:00Z'), d('2026-11-04T00:00:00Z'), 'DAY') ?? [];
    const counts = new Map([[starts[1].getTime(), { responses: 4, promoters: 2, detractors: 1 }]]);
    const series = npsSeries(starts, 'DAY', counts);
    expect(series.map((b) => b.summary.responses)).toEqual([0, 4, 0]);
    expect(series[0].summary.score).toBeNull();
    expect(series[1].summary).toEqual(npsSummary([10, 9, 7, 3]));
    expect(series[2].end.toISOString()).toBe('2026-11-04T00:00:00.000Z');
    expect(fromCounts(undefined)).toEqual(npsSummary([]));
  });
});
