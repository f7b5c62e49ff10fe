import { badInput, isUuid, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import { type FilterQuery, QueryOrder } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, Opportunity, type OpportunityStatus } from './opportunity.entity.js';

/** Filters of `opportunities` (all that are given apply). */
export type OpportunityFilter = {
  stages?: string[] | null;
  statuses?: OpportunityStatus[] | null;
  ownerStaffIds?: string[] | null;
  customerIds?: string[] | null;
  closeDateFrom?: string | null;
  closeDateTo?: string | null;
  valueMin?: string | null;
  valueMax?: string | null;
};
export type OpportunitySort = 'NEWEST' | 'CLOSE_DATE' | 'VALUE';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^\d{1,12}(\.\d{1,2})?$/;
const MAX = 100;

/** Keyset arity per sort: NEWEST (id), CLOSE_DATE (close date or null, id), VALUE (first-year value, id). */
export const SORT_ARITY: Record<OpportunitySort, number> = { NEWEST: 1, CLOSE_DATE: 2, VALUE: 2 };

export const sortKey = (sort: OpportunitySort, o: IOpportunity): unknown[] =>
  sort === 'NEWEST' ? [o.id] : sort === 'CLOSE_DATE' ? [o.closeDate ?? null, o.id] : [o.estimatedFirstYear, o.id];

function list<T>(values: T[] | null | undefined, field: string, check?: (v: T) => boolean): T[] | null {
  if (values == null) return null;
  if (values.length > MAX) throw badInput(`At most ${MAX} values`, field);
  if (check && !values.every(check)) throw badInput('Not a valid id', field);
  return values;
}

function conditions(filter: OpportunityFilter): FilterQuery<IOpportunity>[] {
  const out: FilterQuery<IOpportunity>[] = [];
  const stages = list(filter.stages, 'filter.stages');
  const statuses = list(filter.statuses, 'filter.statuses');
  const owners = list(filter.ownerStaffIds, 'filter.ownerStaffIds', isUuid);
  const customers = list(filter.customerIds, 'filter.customerIds', isUuid);
  if (stages) out.push({ stage: { $in: stages } });
  if (statuses) out.push({ status: { $in: statuses } });
  if (owners) out.push({ ownerStaffId: { $in: owners } });
  if (customers) out.push({ customerId: { $in: customers } });
  for (const [key, op] of [
    ['closeDateFrom', '$gte'],
    ['closeDateTo', '$lte'],
  ] as const) {
    const value = filter[key];
    if (value == null) continue;
    if (!DATE.test(value)) throw badInput('Use a date as YYYY-MM-DD', `filter.${key}`);
    out.push({ closeDate: { [op]: value } });
  }
  for (const [key, op] of [
    ['valueMin', '$gte'],
    ['valueMax', '$lte'],
  ] as const) {
    const value = filter[key];
    if (value == null) continue;
    if (!DECIMAL.test(value)) throw badInput('A decimal amount, at least 0', `filter.${key}`);
    out.push({ estimatedFirstYear: { [op]: value } });
  }
  return out;
}

const KEYS: Record<'NEWEST' | 'VALUE', OrmKey[]> = {
  NEWEST: [{ field: 'id', dir: 'desc' }],
  VALUE: [
    { field: 'estimatedFirstYear', dir: 'desc', parse: String },
    { field: 'id', dir: 'desc' },
  ],
};

/** Rows strictly beyond (`after`) or before a CLOSE_DATE position: close date ascending with nulls last, then id. */
function closeDateBeyond(cursor: unknown[], side: 'after' | 'before'): FilterQuery<IOpportunity> {
  const [d, id] = [cursor[0], String(cursor[1])];
  if (side === 'after') {
    if (d === null) return { closeDate: null, id: { $gt: id } };
    return { $or: [{ closeDate: { $gt: String(d) } }, { closeDate: String(d), id: { $gt: id } }, { closeDate: null }] };
  }
  if (d === null) return { $or: [{ closeDate: { $ne: null } }, { closeDate: null, id: { $lt: id } }] };
  return { $or: [{ closeDate: { $lt: String(d) } }, { closeDate: String(d), id: { $lt: id } }] };
}

/** Rows between the page's cursors in the sort's order. */
function window(sort: OpportunitySort, page: Page): FilterQuery<IOpportunity> {
  for (const cursor of [page.after, page.before]) {
    if (cursor && !isUuid(String(cursor.at(-1)))) throw badInput('Malformed cursor', cursor === page.after ? 'after' : 'before');
  }
  if (sort !== 'CLOSE_DATE') return keysetWhere(KEYS[sort], page) as FilterQuery<IOpportunity>;
  const parts: FilterQuery<IOpportunity>[] = [];
  if (page.after) parts.push(closeDateBeyond(page.after, 'after'));
  if (page.before) parts.push(closeDateBeyond(page.before, 'before'));
  return { $and: parts };
}

function orderOf(sort: OpportunitySort, page: Page) {
  if (sort !== 'CLOSE_DATE') return keysetOrderBy(KEYS[sort], page);
  return page.backward
    ? [{ closeDate: QueryOrder.DESC_NULLS_FIRST }, { id: QueryOrder.DESC }]
    : [{ closeDate: QueryOrder.ASC_NULLS_LAST }, { id: QueryOrder.ASC }];
}

/** One page of the opportunities a filter admits (segment scope, owned, shared), filtered and sorted: one statement whatever the page size. */
export const searchOpportunities = (
  em: EntityManager,
  scope: FilterQuery<IOpportunity>,
  filter: OpportunityFilter,
  sort: OpportunitySort,
  page: Page,
): Promise<IOpportunity[]> =>
  em.find(Opportunity, { $and: [scope, ...conditions(filter), window(sort, page)] } as FilterQuery<IOpportunity>, {
    orderBy: orderOf(sort, page),
    limit: page.limit + 1,
  });
