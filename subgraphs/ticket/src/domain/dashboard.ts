import { Checks, ok } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ITicket, OPEN_STATUSES, type TicketPriority } from '../entities/index.js';
import type { ErrorCode, Result, UserError } from './ticket.errors.js';

/**
 * Staff ticket dashboards, each figure one SQL aggregate over the tickets the caller may see:
 * - open now: by priority and age (time since raised: <1 d, 1–3 d, 3–7 d, >7 d), and how many of them
 *   breached their SLA (the `breached` flag the SLA clocks keep);
 * - within [from, to): raised and resolved counts, the average first response (raised → first answer,
 *   over tickets raised in the range) and resolution (raised → resolved, over tickets resolved in it);
 * - the same per team and per assignee, and per period (UTC day, ISO week or month).
 */
export const DASHBOARD_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];
export const AGE_BUCKETS = ['UNDER_1_DAY', 'DAYS_1_TO_3', 'DAYS_3_TO_7', 'OVER_7_DAYS'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

const DAY_MS = 86_400_000;
/** The default range ends now and reaches this far back. */
const DEFAULT_SPAN_DAYS: Record<DashboardPeriod, number> = { DAY: 30, WEEK: 84, MONTH: 365 };
const PERIOD_DAYS: Record<DashboardPeriod, number> = { DAY: 1, WEEK: 7, MONTH: 28 };
const MAX_BUCKETS = 400;

export type DashboardInput = { period?: DashboardPeriod | null; from?: Date | null; to?: Date | null; teamId?: string | null };
export type DashboardRange = { period: DashboardPeriod; from: Date; to: Date; teamId: string | null };

/** The range asked for, defaulted and checked: from before to, at most 400 periods. */
export function dashboardRange(input: DashboardInput, now: Date): Result<DashboardRange> {
  const period = input.period ?? 'DAY';
  const to = input.to ?? now;
  const from = input.from ?? new Date(to.getTime() - DEFAULT_SPAN_DAYS[period] * DAY_MS);
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.teamId, ['teamId']);
  if (from.getTime() >= to.getTime()) checks.add('INVALID', '`from` must be before `to`', ['from']);
  else if ((to.getTime() - from.getTime()) / (PERIOD_DAYS[period] * DAY_MS) > MAX_BUCKETS) {
    checks.add('OUT_OF_RANGE', `At most ${MAX_BUCKETS} periods; choose a longer period or a shorter range`, ['from']);
  }
  if (!checks.ok) return { ok: false, errors: checks.errors as UserError[] };
  return ok({ period, from, to, teamId: input.teamId ?? null });
}

/** The ticket scope (`domain/access.ts`, a staff member's: storefront and segments) as SQL on alias `t`. */
export function scopeSql(scope: FilterQuery<ITicket>, params: unknown[]): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(scope as Record<string, unknown>)) {
    const column = { storefrontId: 't.storefront_id', segment: 't.segment', customerId: 't.customer_id', partnerId: 't.partner_id' }[key];
    if (!column) throw new Error(`Unsupported ticket scope key ${key}`);
    const list = value && typeof value === 'object' && '$in' in value ? (value as { $in: unknown[] }).$in : null;
    if (list) {
      if (!list.length) return 'false';
      parts.push(`${column} in (?)`);
      params.push(list);
    } else {
      parts.push(`${column} = ?`);
      params.push(value);
    }
  }
  return parts.length ? parts.join(' and ') : 'false';
}

const OPEN = `t.status in (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
const AGE = `case when t.created_at > cast(? as timestamptz) - interval '1 day' then 'UNDER_1_DAY'
  when t.created_at > cast(? as timestamptz) - interval '3 days' then 'DAYS_1_TO_3'
  when t.created_at > cast(? as timestamptz) - interval '7 days' then 'DAYS_3_TO_7' else 'OVER_7_DAYS' end`;
const CREATED = 't.created_at >= ? and t.created_at < ?';
const RESOLVED = 't.resolved_at >= ? and t.resolved_at < ?';
const seconds = (sql: string) => `extract(epoch from ${sql})::float8`;

function where(scope: FilterQuery<ITicket>, range: DashboardRange, params: unknown[]): string {
  const parts = [scopeSql(scope, params)];
  if (range.teamId) {
    parts.push('t.team_id = ?');
    params.push(range.teamId);
  }
  return parts.join(' and ');
}

export type OpenRow = { priority: TicketPriority; age: AgeBucket; open: number; breached: number };
export type GroupRow = {
  teamId: string | null;
  assigneeId: string | null;
  level: 'all' | 'team' | 'assignee';
  open: number;
  breached: number;
  created: number;
  resolved: number;
  avgResponse: number | null;
  avgResolution: number | null;
};
export type PeriodRow = { start: Date; created: number; resolved: number; avgResponse: number | null; avgResolution: number | null };

/** Open tickets now, by priority and age bucket, with how many breached. */
export async function openByPriorityAndAge(em: EntityManager, scope: FilterQuery<ITicket>, range: DashboardRange, now: Date) {
  const params: unknown[] = [now, now, now];
  const sql = `select t.priority, ${AGE} as age, count(*)::int as open, (count(*) filter (where t.breached))::int as breached
    from "ticket"."ticket" t where ${where(scope, range, params)} and ${OPEN} group by 1, 2`;
  return (await em.execute(sql, params)) as OpenRow[];
}

/** Totals, per team and per assignee (one statement, grouping sets): open and breached now, raised and resolved in the range, average times. */
export async function groupTotals(em: EntityManager, scope: FilterQuery<ITicket>, range: DashboardRange) {
  const { from, to } = range;
  const params: unknown[] = [from, to, from, to, from, to, from, to];
  const sql = `select t.team_id as "teamId", t.assignee_staff_id as "assigneeId",
      case grouping(t.team_id, t.assignee_staff_id) when 3 then 'all' when 1 then 'team' else 'assignee' end as level,
      (count(*) filter (where ${OPEN}))::int as open, (count(*) filter (where ${OPEN} and t.breached))::int as breached,
      (count(*) filter (where ${CREATED}))::int as created, (count(*) filter (where ${RESOLVED}))::int as resolved,
      ${seconds(`avg(t.first_responded_at - t.created_at) filter (where ${CREATED})`)} as "avgResponse",
      ${seconds(`avg(t.resolved_at - t.created_at) filter (where ${RESOLVED})`)} as "avgResolution"
    from "ticket"."ticket" t
    where ${where(scope, range, params)} and (${OPEN} or (${CREATED}) or (${RESOLVED}))
    group by grouping sets ((), (t.team_id), (t.assignee_staff_id))`;
  params.push(from, to, from, to);
  return (await em.execute(sql, params)) as GroupRow[];
}

/** Every period of the range (empty ones too): raised, resolved and average times. */
export async function perPeriod(em: EntityManager, scope: FilterQuery<ITicket>, range: DashboardRange) {
  const unit = range.period.toLowerCase();
  const { from, to } = range;
  const params: unknown[] = [from, to];
  const scoped = where(scope, range, params);
  const params2: unknown[] = [from, to];
  const scoped2 = where(scope, range, params2);
  const sql = `with events as (
      select t.created_at as at, 'c' as kind, t.first_responded_at - t.created_at as took
        from "ticket"."ticket" t where ${CREATED} and ${scoped}
      union all
      select t.resolved_at, 'r', t.resolved_at - t.created_at from "ticket"."ticket" t where ${RESOLVED} and ${scoped2}),
    buckets as (select generate_series(date_trunc('${unit}', cast(? as timestamptz) at time zone 'UTC'),
      cast(? as timestamptz) at time zone 'UTC', interval '1 ${unit}') as start)
    select b.start at time zone 'UTC' as start,
      (count(e.at) filter (where e.kind = 'c'))::int as created, (count(e.at) filter (where e.kind = 'r'))::int as resolved,
      ${seconds(`avg(e.took) filter (where e.kind = 'c')`)} as "avgResponse",
      ${seconds(`avg(e.took) filter (where e.kind = 'r')`)} as "avgResolution"
    from buckets b left join events e on date_trunc('${unit}', e.at at time zone 'UTC') = b.start
    where b.start < cast(? as timestamptz) at time zone 'UTC'
    group by b.start order by b.start`;
  const rows = (await em.execute(sql, [...params, ...params2, from, to, to])) as Record<string, unknown>[];
  return rows.map((r) => ({ ...r, start: new Date(r.start as string) }) as PeriodRow);
}
