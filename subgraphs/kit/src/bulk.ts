import type { EntityManager } from '@mikro-orm/postgresql';
import { CsvError, parse } from 'csv-parse/sync';
import { type UserError, userError } from './errors.js';
import type { Principal } from './principal.js';
import type { Peers } from './subgraph.js';

/**
 * The bulk-operations framework, module side. A module declares its actions with `defineBulkAction`:
 * `validate` turns uploaded rows into values or row-level problems (nothing written), `applyBatch` writes
 * one batch of valid rows in the transaction it is given. The orchestration (operations, rows, the job,
 * statistics) lives in the customer subgraph; modules reach it through `applyBatchOnce`, which makes a
 * batch idempotent per (operation, batch) so a job that crashed after a commit never applies it twice.
 */

/** One uploaded row: its 1-based number in the file and its fields, as text. */
export type BulkRowData = { row: number; data: Record<string, string> };

/** Why a row is invalid (or failed when applied). */
export type BulkProblem = { field: string | null; code: string; message: string };

/**
 * One identity of a valid row within its upload, e.g. `{ reason: 'EMAIL', value: 'ada@example.com', field: 'email' }`.
 * Rows sharing a (reason, value) are the same thing: `flagRepeatedRows` keeps the first and makes the others
 * invalid, across every validation call of the upload.
 */
export type BulkRowKey = { reason: string; value: string; field: string | null };

/** An existing record a row was matched to at validation (e.g. the account an imported lead is linked to). */
export type BulkLink = { type: string; id: string; reason: string | null };

/**
 * A row after validation: its normalised value when valid, otherwise its problems. `keys` (valid rows) say
 * what identifies the row within the upload; `links` what it was matched to. Both optional.
 */
export type BulkChecked = {
  row: number;
  value: Record<string, unknown> | null;
  problems: BulkProblem[];
  keys?: BulkRowKey[];
  links?: BulkLink[];
};

/** What applying one valid row did: the id it created or changed, or why it failed (then nothing of it was written). */
export type BulkOutcome = { row: number; ok: boolean; id: string | null; problem: BulkProblem | null };

/**
 * Who and where: the staff who uploaded (validation) or the operation's brand (apply), and the storefront it
 * belongs to; `peers` (when the subgraph has them) for validators that check references in other subgraphs.
 */
export type BulkScope = {
  principal: Principal;
  storefrontId: string;
  peers?: Peers;
  /** At validation, the uploader's market segments (`*`: all), also when it runs in another module; absent: not limited. */
  segments?: string[];
};

export type BulkAction = {
  /** Stable name clients send, e.g. `customer.import`. */
  name: string;
  /** The subgraph that owns the rows it writes. */
  module: string;
  /** The domain scope a staff member needs besides `bulk:manage`. */
  scope: string;
  /**
   * Checks rows (shape, references, duplicates against the database); writes nothing. It may see only part of
   * the upload (250 rows per call): duplicates within the file are found by the orchestration from `keys`.
   */
  validate(em: EntityManager, scope: BulkScope, rows: BulkRowData[]): Promise<BulkChecked[]>;
  /** Writes one batch of valid rows, inside the transaction `em` belongs to; re-checks what may have changed since. */
  applyBatch(em: EntityManager, scope: BulkScope, rows: { row: number; value: Record<string, unknown> }[]): Promise<BulkOutcome[]>;
};

export const defineBulkAction = (action: BulkAction): BulkAction => action;

export const problem = (code: string, message: string, field: string | null = null): BulkProblem => ({ field, code, message });
export const succeeded = (row: number, id: string | null): BulkOutcome => ({ row, ok: true, id, problem: null });
export const failed = (row: number, p: BulkProblem): BulkOutcome => ({ row, ok: false, id: null, problem: p });

const sameKey = (k: BulkRowKey) => `${k.reason}\u0000${k.value}`;

/**
 * Duplicates within one upload, whatever calls validated it: in row order, a valid row sharing a key with an
 * earlier valid row becomes invalid (DUPLICATE, naming that row and the shared reasons, on the first shared
 * key's column); the first row stays valid. Invalid rows claim no key (they are never written). The
 * orchestration runs it over the whole upload after validation; keys are dropped from the answer.
 */
export function flagRepeatedRows(checked: readonly BulkChecked[]): BulkChecked[] {
  const firstRow = new Map<string, number>();
  return [...checked]
    .sort((a, b) => a.row - b.row)
    .map(({ keys = [], ...c }) => {
      if (!c.value || keys.length === 0) return c;
      const earlier = keys.map((k) => ({ k, row: firstRow.get(sameKey(k)) })).filter((m): m is { k: BulkRowKey; row: number } => !!m.row);
      if (earlier.length === 0) {
        for (const k of keys) firstRow.set(sameKey(k), c.row);
        return c;
      }
      const row = Math.min(...earlier.map((m) => m.row));
      const shared = earlier.filter((m) => m.row === row);
      const reasons = [...new Set(shared.map((m) => m.k.reason))].join(', ');
      return { ...c, value: null, problems: [...c.problems, problem('DUPLICATE', `Same as row ${row} (${reasons})`, shared[0].k.field)] };
    });
}

/**
 * Runs `apply` for (operation, batch) at most once, in one transaction with its record in the module's own
 * `bulk_applied_batch` table: a second call (a resumed job) answers the recorded outcomes and writes nothing.
 * Two racing calls cannot both commit: the record's primary key refuses the second.
 */
export async function applyBatchOnce(
  em: EntityManager,
  schema: string,
  key: { operationId: string; batch: number },
  apply: (tx: EntityManager) => Promise<BulkOutcome[]>,
): Promise<BulkOutcome[]> {
  const table = `"${schema}"."bulk_applied_batch"`;
  return em.transactional(async (tx) => {
    const prior = (await tx.execute(`select outcomes from ${table} where operation_id = ? and batch = ?`, [
      key.operationId,
      key.batch,
    ])) as {
      outcomes: BulkOutcome[];
    }[];
    if (prior[0]) return prior[0].outcomes;
    const outcomes = await apply(tx as EntityManager);
    await tx.execute(`insert into ${table} (operation_id, batch, outcomes, applied_at) values (?, ?, ?::jsonb, now())`, [
      key.operationId,
      key.batch,
      JSON.stringify(outcomes),
    ]);
    return outcomes;
  });
}

/** SQL creating a module's `bulk_applied_batch` table (for its migration). */
export const appliedBatchTableSql = (schema: string): string =>
  `create table "${schema}"."bulk_applied_batch" ("operation_id" uuid not null, "batch" int not null, "outcomes" jsonb not null, ` +
  `"applied_at" timestamptz not null, primary key ("operation_id", "batch"))`;

export type BulkFormat = 'CSV' | 'JSONL';

export type BulkLimits = { maxBytes: number; maxRows: number };

/** 1 MB bodies reach the router at most; 10,000 rows is what one operation takes. */
export const BULK_LIMITS: BulkLimits = { maxBytes: 900_000, maxRows: 10_000 };

const MAX_FIELD = 1_000;

/** The whole-file codes `parseBulkContent` refuses an upload with. */
export type BulkContentErrorCode = 'TOO_LARGE' | 'MALFORMED' | 'EMPTY' | 'TOO_MANY_ROWS';

/**
 * Parses an upload into rows. CSV (csv-parse): RFC 4180 (quotes, doubled quotes, CRLF, BOM), the first line names the
 * columns (trimmed, case kept). JSONL: one flat JSON object per line; numbers and booleans become text.
 * Whole-file problems (size, row count, no header, a malformed line) are userErrors; field problems are rows'.
 */
export function parseBulkContent(
  format: BulkFormat,
  content: string,
  limits: BulkLimits = BULK_LIMITS,
): { ok: true; rows: BulkRowData[] } | { ok: false; errors: UserError<BulkContentErrorCode>[] } {
  const field = ['input', 'content'];
  if (Buffer.byteLength(content, 'utf8') > limits.maxBytes)
    return { ok: false, errors: [userError('TOO_LARGE', `Uploads are at most ${limits.maxBytes} bytes`, field)] };
  const parsed = format === 'CSV' ? parseCsv(content) : parseJsonLines(content);
  if (!parsed.ok) return { ok: false, errors: [userError('MALFORMED', parsed.message, field)] };
  if (parsed.rows.length === 0) return { ok: false, errors: [userError('EMPTY', 'The upload has no rows', field)] };
  if (parsed.rows.length > limits.maxRows)
    return { ok: false, errors: [userError('TOO_MANY_ROWS', `At most ${limits.maxRows} rows per operation`, field)] };
  return { ok: true, rows: parsed.rows };
}

type Parsed = { ok: true; rows: BulkRowData[] } | { ok: false; message: string };

function parseJsonLines(content: string): Parsed {
  const rows: BulkRowData[] = [];
  const lines = content.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, message: `Line ${i + 1} is not valid JSON` };
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: `Line ${i + 1} is not a JSON object` };
    const data: Record<string, string> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v === null || v === undefined) continue;
      if (typeof v === 'object') return { ok: false, message: `Line ${i + 1}: "${key}" must be text, a number or a boolean` };
      data[key.trim()] = String(v).slice(0, MAX_FIELD);
    }
    rows.push({ row: rows.length + 1, data });
  }
  return { ok: true, rows };
}

function parseCsv(content: string): Parsed {
  let records: string[][];
  try {
    records = parse(content, { bom: true, relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? ` (line ${error.lines})` : '';
    return {
      ok: false,
      message: error.code === 'CSV_QUOTE_NOT_CLOSED' ? `A quoted CSV field is not closed${line}` : `The CSV cannot be read${line}`,
    };
  }
  const [header, ...body] = records;
  const columns = (header ?? []).map((c) => c.trim());
  if (columns.length === 0 || columns.some((c) => c === '')) return { ok: false, message: 'The first line must name every column' };
  if (new Set(columns).size !== columns.length) return { ok: false, message: 'A column is named twice' };
  const rows: BulkRowData[] = [];
  for (const record of body) {
    if (record.length === 1 && record[0].trim() === '') continue;
    const data: Record<string, string> = {};
    columns.forEach((c, i) => {
      const v = record[i];
      if (v !== undefined && v !== '') data[c] = v.slice(0, MAX_FIELD);
    });
    rows.push({ row: rows.length + 1, data });
  }
  return { ok: true, rows };
}
