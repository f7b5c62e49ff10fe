import { keysetSql, type Page, type SqlKey } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunityTask, OpportunityTask, type TaskStatus } from './work.entity.js';

// Tasks without a due date come last: they sort as due at the end of time.
const NO_DUE = '9999-12-31T00:00:00.000Z';
const DUE_FIRST: SqlKey[] = [
  { expr: `coalesce(t.due_at, '${NO_DUE}'::timestamptz)`, dir: 'asc', cast: 'timestamptz' },
  { expr: 't.created_at', dir: 'asc', cast: 'timestamptz' },
  { expr: 't.id', dir: 'asc', cast: 'uuid' },
];

/** A task's cursor values in the due-first order. */
export const taskKey = (t: IOpportunityTask): unknown[] => [(t.dueAt ?? new Date(NO_DUE)).toISOString(), t.createdAt.toISOString(), t.id];

/** A page of a staff member's tasks of these statuses in a storefront, due first (one row past the page). */
export async function assignedTasksPage(
  em: EntityManager,
  storefrontId: string,
  staffId: string,
  statuses: TaskStatus[],
  page: Page,
): Promise<IOpportunityTask[]> {
  const params: unknown[] = [storefrontId, staffId, statuses];
  const keyset = keysetSql(DUE_FIRST, page, params);
  const where = ['t.storefront_id = ?', 't.assignee_staff_id = ?', 't.status in (?)', ...keyset.conditions].join(' and ');
  params.push(page.limit + 1);
  const rows = await em.execute(
    `select t.* from "opportunity"."opportunity_task" t where ${where} order by ${keyset.orderBy} limit ?`,
    params,
  );
  return rows.map((row) => em.map(OpportunityTask, row));
}
