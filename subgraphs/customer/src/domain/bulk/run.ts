import { type BulkOutcome, loggerFor, type MikroORM } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type BulkDeps, MAX_ATTEMPTS, publishProgress } from './operations.js';
import { findOperation, T } from './store.js';

/**
 * The job of one confirmed operation: applies its batches in order, each through its action (one
 * transaction in the owning module, idempotent per batch), then records the batch's row results and
 * timings here in one transaction and publishes progress. A run that crashed resumes after the last
 * recorded batch; a batch applied but not recorded is answered from the module's record, not re-applied.
 */
export type RunOptions = {
  /** Stops (as a crash would) after this many batches of this run: tests of resumption. */
  stopAfterBatches?: number;
  attempts?: number;
};

export type RunResult = { status: string; batchesRun: number };

export async function runBulkOperation(orm: MikroORM, deps: BulkDeps, operationId: string, options: RunOptions = {}): Promise<RunResult> {
  const em = orm.em.fork() as EntityManager;
  const op = await findOperation(em, operationId, null);
  if (!op || !['QUEUED', 'RUNNING'].includes(op.status)) return { status: op?.status ?? 'MISSING', batchesRun: 0 };
  const action = deps.actions.get(op.action);
  if (!action) throw new Error(`bulk action ${op.action} is not registered`);
  await em.execute(
    `update ${T.op} set status = 'RUNNING', started_at = coalesce(started_at, now()), updated_at = now() where id = ? and status in ('QUEUED', 'RUNNING')`,
    [operationId],
  );
  await publishProgress(deps.bus, operationId);
  const done = new Set(
    ((await em.execute(`select batch from ${T.batch} where operation_id = ?`, [operationId])) as { batch: number }[]).map((b) => b.batch),
  );
  let batchesRun = 0;
  try {
    for (let batch = 0; batch < op.batchCount; batch++) {
      if (done.has(batch)) continue;
      if (options.stopAfterBatches !== undefined && batchesRun >= options.stopAfterBatches) return { status: 'RUNNING', batchesRun };
      const [{ status }] = (await em.execute(`select status from ${T.op} where id = ?`, [operationId])) as { status: string }[];
      if (status !== 'RUNNING') return { status, batchesRun };
      const rows = (await em.execute(`select "row", value from ${T.row} where operation_id = ? and batch = ? order by "row"`, [
        operationId,
        batch,
      ])) as { row: number; value: Record<string, unknown> }[];
      const startedAt = new Date();
      const outcomes = await action.apply(op.storefrontId, { operationId, batch }, rows);
      await record(em, operationId, batch, outcomes, startedAt);
      batchesRun++;
      await publishProgress(deps.bus, operationId);
    }
  } catch (error) {
    if ((options.attempts ?? 1) >= MAX_ATTEMPTS) {
      await em.execute(
        `update ${T.op} set status = 'FAILED', finished_at = now(), updated_at = now() where id = ? and status = 'RUNNING'`,
        [operationId],
      );
      await publishProgress(deps.bus, operationId);
    }
    loggerFor('customer jobs').warn({ operationId, err: error }, 'bulk operation batch failed; the job will retry');
    throw error;
  }
  await em.execute(`update ${T.op} set status = 'COMPLETED', finished_at = now(), updated_at = now() where id = ? and status = 'RUNNING'`, [
    operationId,
  ]);
  await publishProgress(deps.bus, operationId);
  return { status: 'COMPLETED', batchesRun };
}

/** The batch's row results, its timing and the operation's counters, in one transaction (a batch recorded twice is refused by its key). */
async function record(em: EntityManager, operationId: string, batch: number, outcomes: BulkOutcome[], startedAt: Date): Promise<void> {
  const succeeded = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.length - succeeded;
  const results = outcomes.map((o) => ({
    row: o.row,
    status: o.ok ? 'SUCCEEDED' : 'FAILED',
    result_id: o.id,
    problems: o.problem ? [o.problem] : [],
  }));
  await em.transactional(async (tx) => {
    await tx.execute(
      `insert into ${T.batch} (operation_id, batch, rows, succeeded, failed, started_at, finished_at) values (?, ?, ?, ?, ?, ?, now())`,
      [operationId, batch, outcomes.length, succeeded, failed, startedAt],
    );
    await tx.execute(
      `update ${T.row} r set status = x.status, result_id = x.result_id, problems = x.problems
       from jsonb_to_recordset(?::jsonb) as x("row" int, status text, result_id text, problems jsonb)
       where r.operation_id = ? and r."row" = x."row"`,
      [JSON.stringify(results), operationId],
    );
    await tx.execute(`update ${T.op} set succeeded = succeeded + ?, failed = failed + ?, updated_at = now() where id = ?`, [
      succeeded,
      failed,
      operationId,
    ]);
  });
}
