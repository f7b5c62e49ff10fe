import {
  badInput,
  cursorDate,
  cursorId,
  isUuid,
  keysetOrderBy,
  keysetWhere,
  notFound,
  type OrmKey,
  type PageArgs,
  type Principal,
  parsePage,
  segmentsOf,
  toConnection,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type INpsResponse, NpsResponse, NpsSurvey } from '../entities/index.js';
import type { NpsSummary } from './nps.js';
import { addCounts, bucketStarts, fromCounts, type NpsBucket, type NpsCounts, type NpsInterval, npsSeries } from './nps-series.js';

/**
 * NPS read back. Customers see their storefront's active survey (what to ask them); staff with
 * `nps:read` see their acting storefront's surveys, scores and responses, within their segments only
 * (`segment:*` grants all). A segment the staff member is not granted reads as empty, never as an error,
 * so its existence is not told either. Comments keep their field guard (`customer:read` or the respondent).
 */

/** The segments a staff member may read NPS of, narrowed to `segment`: null = every segment, [] = none. */
export function npsSegments(principal: Principal, segment?: string | null): string[] | null {
  const mine = segmentsOf(principal);
  const all = mine.includes('*');
  if (segment) return all || mine.includes(segment) ? [segment] : [];
  return all ? null : mine;
}

/** The storefront's active survey (the newest, should two be active), or null. */
export function activeSurvey(em: EntityManager, principal: Principal) {
  if (!principal.storefrontId) return Promise.resolve(null);
  return em.findOne(NpsSurvey, { storefrontId: principal.storefrontId, active: true }, { orderBy: { createdAt: 'desc', id: 'desc' } });
}

const byTime = (field: string): OrmKey[] => [
  { field, dir: 'desc', parse: cursorDate },
  { field: 'id', dir: 'desc', parse: cursorId },
];
const BY_CREATED = byTime('createdAt');
const BY_RESPONDED = byTime('respondedAt');

/** The acting storefront's surveys, newest first. */
export async function surveysPage(em: EntityManager, principal: Principal, args: PageArgs) {
  const page = parsePage(args, 'NEWEST', 2);
  const rows = await em.find(
    NpsSurvey,
    { storefrontId: principal.storefrontId as string, ...keysetWhere(BY_CREATED, page) },
    { orderBy: keysetOrderBy(BY_CREATED, page), limit: page.limit + 1 },
  );
  return toConnection(rows, page, 'NEWEST', (s) => [s.createdAt.toISOString(), s.id]);
}

export type NpsFilter = { surveyId?: string | null; segment?: string | null; from?: Date | null; to?: Date | null };

/** The survey a filter names, when it is the acting storefront's (NOT_FOUND otherwise, BAD_USER_INPUT when no id). */
async function surveyOf(em: EntityManager, principal: Principal, surveyId: string | null | undefined): Promise<string | null> {
  if (surveyId === undefined || surveyId === null) return null;
  if (!isUuid(surveyId)) throw badInput('surveyId is not an id', 'surveyId');
  const survey = await em.findOne(NpsSurvey, { id: surveyId, storefrontId: principal.storefrontId as string }, { fields: ['id'] });
  if (!survey) throw notFound('Survey');
  return survey.id;
}

function period(from: Date | null | undefined, to: Date | null | undefined): void {
  if (from && to && to <= from) throw badInput('to must be after from', 'to');
}

/** Responses of the acting storefront within the caller's segments, newest first. */
export async function responsesPage(em: EntityManager, principal: Principal, filter: NpsFilter, args: PageArgs) {
  const page = parsePage(args, 'RESPONDED', 2);
  period(filter.from, filter.to);
  const survey = await surveyOf(em, principal, filter.surveyId);
  const segments = npsSegments(principal, filter.segment);
  if (segments && segments.length === 0) return toConnection<INpsResponse>([], page, 'RESPONDED', () => []);
  const respondedAt = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
  const rows = await em.find(
    NpsResponse,
    {
      storefrontId: principal.storefrontId as string,
      ...(survey ? { survey } : {}),
      ...(segments ? { segment: { $in: segments } } : {}),
      ...(filter.from || filter.to ? { respondedAt } : {}),
      ...keysetWhere(BY_RESPONDED, page),
    },
    { orderBy: keysetOrderBy(BY_RESPONDED, page), limit: page.limit + 1 },
  );
  return toConnection(rows, page, 'RESPONDED', (r) => [r.respondedAt.toISOString(), r.id]);
}

export type NpsReport = {
  summary: NpsSummary;
  series: NpsBucket[];
  segments: { segment: string; summary: NpsSummary }[];
};

type Row = { bucket: Date | string; segment: string; responses: number; promoters: number; detractors: number };

/**
 * One period's NPS: the total, a series by `interval` and one summary per segment (those with answers),
 * over [from, to), for one survey or all of the storefront's.
 */
export async function npsReport(
  em: EntityManager,
  principal: Principal,
  filter: NpsFilter & { from: Date; to: Date; interval: NpsInterval },
): Promise<NpsReport> {
  period(filter.from, filter.to);
  const starts = bucketStarts(filter.from, filter.to, filter.interval);
  if (!starts) throw badInput('Too many buckets: shorten the period or use a longer interval', 'interval');
  const survey = await surveyOf(em, principal, filter.surveyId);
  const segments = npsSegments(principal, filter.segment);
  const rows = segments && segments.length === 0 ? [] : await counts(em, principal.storefrontId as string, filter, survey, segments);
  const byBucket = new Map<number, NpsCounts>();
  const bySegment = new Map<string, NpsCounts>();
  let total: NpsCounts = { responses: 0, promoters: 0, detractors: 0 };
  for (const row of rows) {
    const at = new Date(row.bucket).getTime();
    byBucket.set(at, addCounts(byBucket.get(at) ?? { responses: 0, promoters: 0, detractors: 0 }, row));
    bySegment.set(row.segment, addCounts(bySegment.get(row.segment) ?? { responses: 0, promoters: 0, detractors: 0 }, row));
    total = addCounts(total, row);
  }
  return {
    summary: fromCounts(total),
    series: npsSeries(starts, filter.interval, byBucket),
    segments: [...bySegment].sort(([a], [b]) => a.localeCompare(b)).map(([segment, c]) => ({ segment, summary: fromCounts(c) })),
  };
}

const TRUNC: Record<NpsInterval, string> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };

/** Counts per UTC bucket and segment, in one grouped statement. */
function counts(
  em: EntityManager,
  storefrontId: string,
  filter: { from: Date; to: Date; interval: NpsInterval },
  survey: string | null,
  segments: string[] | null,
): Promise<Row[]> {
  const params: unknown[] = [storefrontId, filter.from.toISOString(), filter.to.toISOString()];
  let where = 'r.storefront_id = ? and r.responded_at >= ?::timestamptz and r.responded_at < ?::timestamptz';
  if (survey) {
    where += ' and r.survey_id = ?';
    params.push(survey);
  }
  if (segments) {
    where += ` and r.segment in (${segments.map(() => '?').join(', ')})`;
    params.push(...segments);
  }
  // The bucket as a UTC wall time, read back as UTC (bucketStart computes the same edges).
  const bucket = `date_trunc('${TRUNC[filter.interval]}', r.responded_at at time zone 'UTC') at time zone 'UTC'`;
  return em
    .getConnection()
    .execute<Row[]>(
      `select ${bucket} as bucket, r.segment, count(*)::int as responses, ` +
        'count(*) filter (where r.score >= 9)::int as promoters, count(*) filter (where r.score <= 6)::int as detractors ' +
        `from "customer"."nps_response" r where ${where} group by 1, 2`,
      params,
    );
}
