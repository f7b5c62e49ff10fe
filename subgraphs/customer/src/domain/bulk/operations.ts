import {
  actingStorefront,
  addJob,
  BULK_CALL_ROWS,
  type BulkFormat,
  bulkOperationChannel,
  type EventBus,
  fail,
  flagRepeatedRows,
  hasScope,
  isUuid,
  newId,
  ok,
  type Principal,
  parseBulkContent,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BulkResult as Result } from '../customer.errors.js';
import type { BulkActions } from './actions.js';
import { type BulkOperationView, findOperation, T } from './store.js';

/**
 * The bulk-operation lifecycle: create (parse, validate every row, store; nothing applied) → confirm
 * (queue the job) → the job applies batches (run.ts) → COMPLETED; cancel stops it between batches.
 * An operation belongs to the caller's storefront; staff reach only their brands' operations.
 */
export const BULK_TASK = 'bulk:run';
export const BATCH_SIZE = BULK_CALL_ROWS;
/** Attempts the job gets (a crashed or failing run is retried and resumes after its last committed batch). */
export const MAX_ATTEMPTS = 5;

export type BulkDeps = { actions: BulkActions; bus: EventBus };

export type BulkCreateInput = { action: string; format: BulkFormat; content: string };

export const publishProgress = (bus: EventBus, operationId: string) => bus.publish(bulkOperationChannel(operationId), { operationId });

export async function bulkOperationCreate(
  em: EntityManager,
  deps: BulkDeps,
  principal: Principal,
  input: BulkCreateInput,
): Promise<Result<BulkOperationView>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('FORBIDDEN', 'Bulk operations are for a storefront you are granted', ['input']);
  const action = deps.actions.get(input.action);
  if (!action) return fail('NOT_FOUND', `No bulk action ${input.action}: use ${[...deps.actions.keys()].join(', ')}`, ['input', 'action']);
  if (!hasScope(principal, action.scope)) return fail('FORBIDDEN', `${input.action} needs the ${action.scope} scope`, ['input', 'action']);
  const parsed = parseBulkContent(input.format, input.content);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };

  // Validation may ask another subgraph: before any transaction. It may run in several calls (250 rows
  // each): duplicates within the file are found here, over the whole upload, from the rows' keys.
  const checked = flagRepeatedRows(await action.validate(em, { principal, storefrontId }, parsed.rows));
  const byRow = new Map(checked.map((c) => [c.row, c]));
  let valid = 0;
  const rows = parsed.rows.map(({ row, data }) => {
    const c = byRow.get(row);
    const value = c?.value ?? null;
    const problems = c ? c.problems : [{ field: null, code: 'UNCHECKED', message: 'The action did not check this row' }];
    const batch = value ? Math.floor(valid++ / BATCH_SIZE) : null;
    return { row, batch, status: value ? 'PENDING' : 'INVALID', data, value, problems, links: c?.links ?? [] };
  });
  const id = newId();
  await em.transactional(async (tx) => {
    await tx.execute(
      `insert into ${T.op} (id, storefront_id, module, action, format, status, created_by, total, valid, invalid, batch_size, batch_count, created_at, updated_at)
       values (?, ?, ?, ?, ?, 'VALIDATED', ?, ?, ?, ?, ?, ?, now(), now())`,
      [
        id,
        storefrontId,
        action.module,
        action.name,
        input.format,
        principal.kind === 'staff' && isUuid(principal.id) ? principal.id : null,
        rows.length,
        valid,
        rows.length - valid,
        BATCH_SIZE,
        Math.ceil(valid / BATCH_SIZE),
      ],
    );
    await tx.execute(
      `insert into ${T.row} (operation_id, "row", batch, status, data, value, problems, links)
       select ?::uuid, r."row", r.batch, r.status, r.data, r.value, r.problems, r.links
       from jsonb_to_recordset(?::jsonb) as r("row" int, batch int, status text, data jsonb, value jsonb, problems jsonb, links jsonb)`,
      [id, JSON.stringify(rows)],
    );
  });
  return ok((await findOperation(em, id, principal)) as BulkOperationView);
}

/** Queues a VALIDATED operation of the caller's brands (the job and the status change commit together). */
export async function bulkOperationConfirm(
  em: EntityManager,
  deps: BulkDeps,
  principal: Principal,
  id: string,
): Promise<Result<BulkOperationView>> {
  const op = isUuid(id) ? await findOperation(em, id, principal) : null;
  if (!op) return fail('NOT_FOUND', 'No such bulk operation', ['input', 'id']);
  const action = deps.actions.get(op.action);
  if (!action || !hasScope(principal, action.scope))
    return fail('FORBIDDEN', `${op.action} needs the ${action?.scope} scope`, ['input', 'id']);
  if (op.status !== 'VALIDATED')
    return fail('INVALID_STATE', `The operation is ${op.status}; only a VALIDATED one can be confirmed`, ['input', 'id']);
  if (op.valid === 0) return fail('NOTHING_TO_APPLY', 'The operation has no valid rows', ['input', 'id']);
  const queued = await em.transactional(async (tx) => {
    const updated = (await tx.execute(
      `update ${T.op} set status = 'QUEUED', confirmed_at = now(), updated_at = now() where id = ? and status = 'VALIDATED' returning id`,
      [id],
    )) as unknown[];
    if (updated.length === 0) return false;
    await addJob(tx, BULK_TASK, { operationId: id }, { jobKey: `bulk:${id}`, maxAttempts: MAX_ATTEMPTS });
    return true;
  });
  if (!queued) return fail('INVALID_STATE', 'The operation was confirmed or cancelled meanwhile', ['input', 'id']);
  await publishProgress(deps.bus, id);
  return ok((await findOperation(em, id, principal)) as BulkOperationView);
}

/** Cancels an unfinished operation of the caller's brands; the job stops before its next batch. */
export async function bulkOperationCancel(
  em: EntityManager,
  deps: BulkDeps,
  principal: Principal,
  id: string,
): Promise<Result<BulkOperationView>> {
  const op = isUuid(id) ? await findOperation(em, id, principal) : null;
  if (!op) return fail('NOT_FOUND', 'No such bulk operation', ['input', 'id']);
  const updated = (await em.execute(
    `update ${T.op} set status = 'CANCELLED', finished_at = now(), updated_at = now()
     where id = ? and status in ('VALIDATED', 'QUEUED', 'RUNNING') returning id`,
    [id],
  )) as unknown[];
  if (updated.length === 0) return fail('INVALID_STATE', `The operation is ${op.status}; it can no longer be cancelled`, ['input', 'id']);
  await publishProgress(deps.bus, id);
  return ok((await findOperation(em, id, principal)) as BulkOperationView);
}
