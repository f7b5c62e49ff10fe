import { type BulkLink, type BulkProblem, brandCondition, keysetSql, type Page, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Reads and writes of the bulk tables (raw SQL: a 10,000-row upload is one statement, not 10,000 entities). */

export type BulkStatus = 'VALIDATED' | 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
export type RowStatus = 'INVALID' | 'PENDING' | 'SUCCEEDED' | 'FAILED';

export type BulkOperationView = {
  id: string;
  storefrontId: string;
  module: string;
  action: string;
  format: 'CSV' | 'JSONL';
  status: BulkStatus;
  createdBy: string | null;
  total: number;
  valid: number;
  invalid: number;
  succeeded: number;
  failed: number;
  batchSize: number;
  batchCount: number;
  batchesDone: number;
  createdAt: Date;
  confirmedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
};

export type BulkRowView = {
  number: number;
  status: RowStatus;
  data: Record<string, string>;
  problems: BulkProblem[];
  links: BulkLink[];
  resultId: string | null;
};

export type BulkBatchView = { number: number; rows: number; succeeded: number; failed: number; startedAt: Date; finishedAt: Date };

export const T = {
  op: '"customer"."bulk_operation"',
  row: '"customer"."bulk_operation_row"',
  batch: '"customer"."bulk_operation_batch"',
};

const OP_COLUMNS = `o.id, o.storefront_id as "storefrontId", o.module, o.action, o.format, o.status, o.created_by as "createdBy",
  o.total, o.valid, o.invalid, o.succeeded, o.failed, o.batch_size as "batchSize", o.batch_count as "batchCount",
  (select count(*)::int from ${T.batch} b where b.operation_id = o.id) as "batchesDone",
  o.created_at as "createdAt", o.confirmed_at as "confirmedAt", o.started_at as "startedAt", o.finished_at as "finishedAt"`;

// Raw SQL answers timestamps as text: the views carry Dates.
const date = (v: unknown): Date | null => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
const operationOf = (o: BulkOperationView): BulkOperationView => ({
  ...o,
  createdAt: date(o.createdAt) as Date,
  confirmedAt: date(o.confirmedAt),
  startedAt: date(o.startedAt),
  finishedAt: date(o.finishedAt),
});

/** A Postgres array literal of uuids (MikroORM would expand a JS array into `?, ?`). */
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/** Brand condition as SQL: the principal's brands, or every brand. */
function brandSql(principal: Principal | null): { sql: string; params: unknown[] } {
  const condition = principal ? brandCondition(principal) : undefined;
  return condition ? { sql: 'and o.storefront_id = any(?::uuid[])', params: [uuidArray(condition.$in)] } : { sql: '', params: [] };
}

/** One operation; within the principal's brands when one is given (null: another brand's reads as missing). */
export async function findOperation(em: EntityManager, id: string, principal: Principal | null): Promise<BulkOperationView | null> {
  const brand = brandSql(principal);
  const [row] = (await em.execute(`select ${OP_COLUMNS} from ${T.op} o where o.id = ? ${brand.sql}`, [
    id,
    ...brand.params,
  ])) as BulkOperationView[];
  return row ? operationOf(row) : null;
}

/** The storefront's operations, newest first (ids are time-ordered), after the cursor's id. */
export async function listOperations(
  em: EntityManager,
  storefrontId: string,
  filter: { action?: string | null; status?: string | null },
  page: Page,
): Promise<BulkOperationView[]> {
  const where = ['o.storefront_id = ?'];
  const params: unknown[] = [storefrontId];
  const add = (condition: string, value: unknown) => {
    where.push(condition);
    params.push(value);
  };
  if (filter.action) add('o.action = ?', filter.action);
  if (filter.status) add('o.status = ?', filter.status);
  const keyset = keysetSql([{ expr: 'o.id', dir: 'desc', cast: 'uuid' }], page, params);
  where.push(...keyset.conditions);
  const rows = (await em.execute(`select ${OP_COLUMNS} from ${T.op} o where ${where.join(' and ')} order by ${keyset.orderBy} limit ?`, [
    ...params,
    page.limit + 1,
  ])) as BulkOperationView[];
  return rows.map(operationOf);
}

export async function listRows(em: EntityManager, operationId: string, status: RowStatus | null, page: Page): Promise<BulkRowView[]> {
  const params: unknown[] = [operationId, ...(status ? [status] : [])];
  const keyset = keysetSql([{ expr: '"row"', dir: 'asc', cast: 'int' }], page, params);
  const where = ['operation_id = ?', ...(status ? ['status = ?'] : []), ...keyset.conditions];
  return (await em.execute(
    `select "row" as number, status, data, problems, links, result_id as "resultId" from ${T.row}
     where ${where.join(' and ')} order by ${keyset.orderBy} limit ?`,
    [...params, page.limit + 1],
  )) as BulkRowView[];
}

export async function listBatches(
  em: EntityManager,
  operationIds: readonly string[],
): Promise<(BulkBatchView & { operationId: string })[]> {
  const rows = (await em.execute(
    `select operation_id as "operationId", batch as number, rows, succeeded, failed, started_at as "startedAt", finished_at as "finishedAt"
     from ${T.batch} where operation_id = any(?::uuid[]) order by operation_id, batch`,
    [uuidArray(operationIds)],
  )) as (BulkBatchView & { operationId: string })[];
  return rows.map((b) => ({ ...b, startedAt: date(b.startedAt) as Date, finishedAt: date(b.finishedAt) as Date }));
}
