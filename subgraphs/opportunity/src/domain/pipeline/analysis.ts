import { forbidden, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { salesScope } from '../access.js';
import { MANAGE_SCOPE } from './write-access.js';

export type GroupBy = 'REASON' | 'SEGMENT' | 'PERIOD';
export type Period = 'DAY' | 'WEEK' | 'MONTH';
export type AnalysisRow = { key: string; label: string | null; rejected: number; lost: number; total: number };

const KEY: Record<GroupBy, (period: Period) => string> = {
  REASON: () => `coalesce(o.close_reason_code, 'NONE')`,
  SEGMENT: () => 'o.segment',
  PERIOD: (p) => `to_char(date_trunc('${p.toLowerCase()}', o.closed_at at time zone 'UTC'), '${p === 'MONTH' ? 'YYYY-MM' : 'YYYY-MM-DD'}')`,
};

/**
 * Opportunities closed REJECTED or LOST in [from, to), counted per group in one SQL aggregate,
 * within the manager's brand and segments (the same row scope as every read of the subgraph).
 */
export async function rejectionAnalysis(
  em: EntityManager,
  principal: Principal,
  args: { from: Date; to: Date; groupBy: GroupBy; period?: Period | null },
): Promise<AnalysisRow[]> {
  const scope = salesScope(principal, MANAGE_SCOPE);
  if (!scope) throw forbidden(`Missing scope ${MANAGE_SCOPE}`);
  if (args.to.getTime() <= args.from.getTime()) return [];
  const key = KEY[args.groupBy](args.period ?? 'MONTH');
  const params: unknown[] = [scope.storefrontId, args.from, args.to];
  let segments = '';
  if (scope.segment) {
    segments = ' and o.segment in (?)';
    params.push(scope.segment.$in);
  }
  const rows = (await em.execute(
    `select ${key} as key, ${args.groupBy === 'REASON' ? 'max(r.label)' : 'null'} as label,
       count(*) filter (where o.status = 'REJECTED')::int as rejected, count(*) filter (where o.status = 'LOST')::int as lost,
       count(*)::int as total
     from "opportunity"."opportunity" o
     left join "opportunity"."opportunity_reason" r on r.storefront_id = o.storefront_id and r.code = o.close_reason_code
     where o.storefront_id = ? and o.status in ('REJECTED', 'LOST') and o.closed_at >= ? and o.closed_at < ?${segments}
     group by 1 order by 1`,
    params,
  )) as AnalysisRow[];
  return rows.map((r) => ({ key: r.key, label: r.label, rejected: Number(r.rejected), lost: Number(r.lost), total: Number(r.total) }));
}
