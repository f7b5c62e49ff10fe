import { badInput, isUuid, type Page } from '@dcrm/kit';
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

/** Rows after the cursor position in the sort's order. */
function after(sort: OpportunitySort, cursor: unknown[] | null): FilterQuery<IOpportunity> {
  if (!cursor) return {};
  const id = String(cursor.at(-1));
  if (!isUuid(id)) throw badInput('Malformed cursor', 'after');
  if (sort === 'NEWEST') return { id: { $lt: id } };
  if (sort === 'VALUE') {
    const v = String(cursor[0]);
    return { $or: [{ estimatedFirstYear: { $lt: v } }, { estimatedFirstYear: v, id: { $lt: id } }] };
  }
  const d = cursor[0];
  if (d === null) return { closeDate: null, id: { $gt: id } };
  return { $or: [{ closeDate: { $gt: String(d) } }, { closeDate: String(d), id: { $gt: id } }, { closeDate: null }] };
}

const ORDER = {
  NEWEST: { id: QueryOrder.DESC },
  CLOSE_DATE: { closeDate: QueryOrder.ASC_NULLS_LAST, id: QueryOrder.ASC },
  VALUE: { estimatedFirstYear: QueryOrder.DESC, id: QueryOrder.DESC },
} as const;

/** One page of the opportunities a filter admits (segment scope, owned, shared), filtered and sorted: one statement whatever the page size. */
export const searchOpportunities = (
  em: EntityManager,
  scope: FilterQuery<IOpportunity>,
  filter: OpportunityFilter,
  sort: OpportunitySort,
  page: Page,
): Promise<IOpportunity[]> =>
  em.find(Opportunity, { $and: [scope, ...conditions(filter), after(sort, page.after)] } as FilterQuery<IOpportunity>, {
    orderBy: ORDER[sort],
    limit: page.limit + 1,
  });
