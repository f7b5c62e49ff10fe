import {
  accountRowScope,
  actingStorefront,
  cursorDate,
  cursorId,
  isUuid,
  keysetOrderBy,
  keysetWhere,
  type OrmKey,
  type Page,
  type Principal,
  segmentsOf,
} from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Decision, DecisionRule, type IDecision, type IDecisionRule } from '../../entities/index.js';

export type DecisionFilter = {
  outcome?: 'ACTION' | 'NO_ACTION' | null;
  eventType?: string | null;
  ruleId?: string | null;
  customerId?: string | null;
  from?: Date | null;
  to?: Date | null;
};

/** Decisions staff may read: of the brand they act for, about accounts of their segments (rows copy the segment). */
function scopeOf(principal: Principal): FilterQuery<IDecision> | null {
  if (!actingStorefront(principal) || principal.kind !== 'staff') return null;
  return accountRowScope(principal) as FilterQuery<IDecision> | null;
}

export const DECISION_SORT = 'decidedAt:desc,id:desc';

/** One keyset page (newest first) of the decisions the principal may read; `limit + 1` rows. */
export async function decisionsPage(em: EntityManager, principal: Principal, filter: DecisionFilter, page: Page): Promise<IDecision[]> {
  const scope = scopeOf(principal);
  if (!scope) return [];
  const where: FilterQuery<IDecision>[] = [scope];
  if (filter.outcome) where.push({ outcome: filter.outcome });
  if (filter.eventType) where.push({ eventType: filter.eventType });
  if (filter.ruleId) {
    if (!isUuid(filter.ruleId)) return [];
    where.push({ ruleId: filter.ruleId });
  }
  if (filter.customerId) {
    if (!isUuid(filter.customerId)) return [];
    where.push({ customerId: filter.customerId });
  }
  if (filter.from) where.push({ decidedAt: { $gte: filter.from } });
  if (filter.to) where.push({ decidedAt: { $lt: filter.to } });
  where.push(keysetWhere(DECISION_KEYS, page) as FilterQuery<IDecision>);
  return em.find(Decision, { $and: where }, { orderBy: keysetOrderBy(DECISION_KEYS, page), limit: page.limit + 1 });
}

/** Newest first; a cursor is (decidedAt, id), both checked before they reach SQL. */
const DECISION_KEYS: OrmKey[] = [
  { field: 'decidedAt', dir: 'desc', parse: cursorDate },
  { field: 'id', dir: 'desc', parse: cursorId },
];

export const decisionCursor = (d: IDecision) => [d.decidedAt.toISOString(), d.id];

/** A brand's decision rules for staff acting for it. */
export async function decisionRulesOf(em: EntityManager, principal: Principal): Promise<IDecisionRule[]> {
  const storefrontId = actingStorefront(principal);
  return storefrontId ? em.find(DecisionRule, { storefrontId }, { orderBy: { createdAt: 'desc', id: 'desc' } }) : [];
}

export type RuleKpiRow = { ruleId: string; decisions: number; offers: number; accepted: number; converted: number };
export type DecisionKpis = { decisions: number; actions: number; byRule: RuleKpiRow[] };

const DAY_MS = 24 * 3_600_000;

/**
 * Decisions, actions and their offers' results by winning rule over [from, to), within the caller's
 * brand and segments. Accepted: the offer was taken up (clicked, accepted or redeemed); converted: an
 * order followed it (campaign attribution marks `converted_at`).
 */
export async function decisionKpis(
  em: EntityManager,
  principal: Principal,
  from: Date | null,
  to: Date | null,
  now: Date,
): Promise<DecisionKpis> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId || principal.kind !== 'staff') return { decisions: 0, actions: 0, byRule: [] };
  const segments = segmentsOf(principal);
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - 30 * DAY_MS);
  const segmentSql = segments.includes('*') ? '' : 'and d.segment = any(?::text[])';
  const params: unknown[] = [
    storefrontId,
    start,
    end,
    ...(segments.includes('*') ? [] : [`{${segments.map((s) => `"${s.replaceAll('"', '')}"`).join(',')}}`]),
  ];
  const conn = em.getConnection();
  const [totals] = (await conn.execute(
    `select count(*)::int as decisions, (count(*) filter (where d.outcome = 'ACTION'))::int as actions
     from "promotion"."decision" d where d.storefront_id = ? and d.decided_at >= ? and d.decided_at < ? ${segmentSql}`,
    params,
  )) as { decisions: number; actions: number }[];
  const byRule = (await conn.execute(
    `select d.rule_id as "ruleId", count(*)::int as decisions, count(o.id)::int as offers,
       (count(*) filter (where o.clicked_at is not null or o.status in ('ACCEPTED', 'REDEEMED')))::int as accepted,
       count(o.converted_at)::int as converted
     from "promotion"."decision" d left join "promotion"."offer" o on o.id = d.offer_id
     where d.storefront_id = ? and d.decided_at >= ? and d.decided_at < ? ${segmentSql} and d.outcome = 'ACTION'
     group by d.rule_id order by decisions desc, d.rule_id`,
    params,
  )) as RuleKpiRow[];
  return { decisions: totals?.decisions ?? 0, actions: totals?.actions ?? 0, byRule };
}
