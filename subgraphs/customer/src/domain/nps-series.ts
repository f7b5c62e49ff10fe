import { type NpsSummary, npsSummary } from './nps.js';

/**
 * An NPS time series: the period [from, to) cut into UTC calendar buckets (DAY; WEEK from Monday, as
 * PostgreSQL's `date_trunc('week')`; MONTH), every bucket present even when nobody answered in it, so a
 * chart has no gaps. The first bucket starts at or before `from`; counts only ever cover [from, to).
 */
export type NpsInterval = 'DAY' | 'WEEK' | 'MONTH';

/** At most this many buckets in one series (a year and a bit of days). */
export const MAX_BUCKETS = 400;

export type NpsCounts = { responses: number; promoters: number; detractors: number };
export type NpsBucket = { start: Date; end: Date; summary: NpsSummary };

/** The start of the UTC bucket holding `at`. */
export function bucketStart(at: Date, interval: NpsInterval): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  if (interval === 'DAY') return new Date(day);
  if (interval === 'MONTH') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const sinceMonday = (at.getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * 86_400_000);
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start: Date, interval: NpsInterval): Date {
  if (interval === 'MONTH') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(start.getTime() + (interval === 'DAY' ? 1 : 7) * 86_400_000);
}

/** The bucket starts covering [from, to), or null when there would be more than `max`. */
export function bucketStarts(from: Date, to: Date, interval: NpsInterval, max = MAX_BUCKETS): Date[] | null {
  const starts: Date[] = [];
  for (let at = bucketStart(from, interval); at < to; at = nextBucket(at, interval)) {
    if (starts.length === max) return null;
    starts.push(at);
  }
  return starts;
}

/** Counts from the database, by bucket start, onto every bucket of the period (missing ones are empty). */
export function npsSeries(starts: Date[], interval: NpsInterval, counts: Map<number, NpsCounts>): NpsBucket[] {
  return starts.map((start) => ({ start, end: nextBucket(start, interval), summary: fromCounts(counts.get(start.getTime())) }));
}

/** A summary from counts (promoters 9–10, detractors 0–6: the rest are passives). */
export function fromCounts(counts: NpsCounts | undefined): NpsSummary {
  if (!counts || counts.responses === 0) return npsSummary([]);
  const { responses, promoters, detractors } = counts;
  return {
    score: Math.round(((promoters - detractors) / responses) * 100),
    responses,
    promoters,
    passives: responses - promoters - detractors,
    detractors,
  };
}

/** Adds `b` into `a` (a running total). */
export function addCounts(a: NpsCounts, b: NpsCounts): NpsCounts {
  return { responses: a.responses + b.responses, promoters: a.promoters + b.promoters, detractors: a.detractors + b.detractors };
}
