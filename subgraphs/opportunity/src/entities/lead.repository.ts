import { type AccountRowFilter, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ILead, Lead, type LeadChannel, type LeadRating, type LeadStatus } from './lead.entity.js';

export type LeadFilter = {
  status?: LeadStatus[] | null;
  rating?: LeadRating[] | null;
  channel?: LeadChannel[] | null;
  campaignId?: string | null;
  customerId?: string | null;
  category?: string | null;
  minScore?: number | null;
  // Scoring, dedupe (lead-quality): score and budget ranges, flagged duplicates.
  maxScore?: number | null;
  minBudget?: string | null;
  maxBudget?: string | null;
  budgetCurrency?: string | null;
  duplicate?: boolean | null;
};
export type LeadSort = 'NEWEST' | 'SCORE' | 'BUDGET';

/** The cursor's arity per sort: NEWEST [id], SCORE [score, id], BUDGET [budget, id]. */
const id: OrmKey = { field: 'id', dir: 'desc' };
const LEAD_KEYS: Record<LeadSort, OrmKey[]> = {
  NEWEST: [id],
  SCORE: [{ field: 'score', dir: 'desc', parse: Number }, id],
  BUDGET: [{ field: 'budgetAmount', dir: 'desc', parse: String }, id],
};

export const LEAD_SORT_KEYS: Record<LeadSort, (l: ILead) => unknown[]> = {
  NEWEST: (l) => [l.id],
  SCORE: (l) => [l.score, l.id],
  BUDGET: (l) => [l.budgetAmount, l.id],
};

function conditions(filter: LeadFilter | null | undefined): FilterQuery<ILead>[] {
  if (!filter) return [];
  const where: FilterQuery<ILead>[] = [];
  if (filter.status?.length) where.push({ status: { $in: filter.status } });
  if (filter.rating?.length) where.push({ rating: { $in: filter.rating } });
  if (filter.channel?.length) where.push({ channel: { $in: filter.channel } });
  if (filter.campaignId) where.push({ campaignId: filter.campaignId });
  if (filter.customerId) where.push({ customerId: filter.customerId });
  if (filter.category) where.push({ category: filter.category });
  if (filter.minScore != null) where.push({ score: { $gte: filter.minScore } });
  if (filter.maxScore != null) where.push({ score: { $lte: filter.maxScore } });
  if (filter.minBudget != null) where.push({ budgetAmount: { $gte: filter.minBudget } });
  if (filter.maxBudget != null) where.push({ budgetAmount: { $lte: filter.maxBudget } });
  if (filter.budgetCurrency) where.push({ budgetCurrency: filter.budgetCurrency });
  if (filter.duplicate != null) where.push({ duplicateOf: filter.duplicate ? { $ne: null } : null });
  return where;
}

/**
 * One page of the leads a scope admits and the filter keeps: newest first (v7 ids are time-ordered) or
 * by score then id, both keysets. Reads one row past the page, which tells whether there is a next one.
 */
export function leadsPage(
  em: EntityManager,
  scope: AccountRowFilter,
  filter: LeadFilter | null | undefined,
  sort: LeadSort,
  page: Page,
): Promise<ILead[]> {
  // BUDGET: leads with a budget, highest first.
  const budgeted: FilterQuery<ILead> = sort === 'BUDGET' ? { budgetAmount: { $ne: null } } : {};
  const keyset = keysetWhere(LEAD_KEYS[sort], page) as FilterQuery<ILead>;
  const orderBy = keysetOrderBy(LEAD_KEYS[sort], page);
  return em.find(Lead, { $and: [scope, ...conditions(filter), budgeted, keyset] }, { orderBy, limit: page.limit + 1 });
}

export type LeadCounts = { total: number; qualified: number; converted: number };
const ZERO: LeadCounts = { total: 0, qualified: 0, converted: 0 };

/**
 * Leads counted per value of `column` (campaign_id or customer_id) for `keys`, within a scope: one
 * statement whatever the number of keys.
 */
export async function leadCountsBy(
  em: EntityManager,
  scope: AccountRowFilter,
  column: 'campaign_id' | 'customer_id',
  keys: readonly string[],
): Promise<LeadCounts[]> {
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const params: unknown[] = [scope.storefrontId, ...keys];
  let where = `storefront_id = ? and ${column} in (${marks(keys.length)})`;
  if (scope.customerId) {
    where += ' and customer_id = ?';
    params.push(scope.customerId);
  }
  if (scope.partnerId) {
    where += ' and partner_id = ?';
    params.push(scope.partnerId);
  }
  if (scope.segment) {
    where += ` and segment in (${marks(scope.segment.$in.length)})`;
    params.push(...scope.segment.$in);
  }
  const rows = (await em.getConnection().execute(
    `select ${column} as key, count(*)::int as total,
       count(*) filter (where status in ('QUALIFIED', 'CONVERTED'))::int as qualified,
       count(*) filter (where status = 'CONVERTED')::int as converted
     from "opportunity"."lead" where ${where} group by ${column}`,
    params,
  )) as (LeadCounts & { key: string })[];
  const byKey = new Map(rows.map((r) => [r.key, { total: r.total, qualified: r.qualified, converted: r.converted }]));
  return keys.map((k) => byKey.get(k) ?? ZERO);
}
