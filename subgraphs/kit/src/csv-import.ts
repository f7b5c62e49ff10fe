import { CsvError, parse } from 'csv-parse/sync';
import { BULK_LIMITS, type BulkChecked, type BulkProblem, type BulkRowData, problem } from './bulk.js';
import { type Result, type UserError, userError } from './errors.js';

/**
 * CSV import parsing with csv-parse (sync): BOM, quoted fields with commas, doubled quotes and line
 * breaks, CRLF. The first record is the header; `columns` maps each field to the header names it
 * accepts (compared without case, spaces, `_` or `-`: "First name" = "first_name" = "firstName").
 * Values are trimmed; empty ones are left out. Rows whose fields are all empty are skipped.
 *
 * Whole-file problems are userErrors (the file is refused): TOO_LARGE, MALFORMED (with its line),
 * EMPTY, TOO_MANY_ROWS, MISSING_COLUMN (a `required` field has no column), DUPLICATE_COLUMN,
 * UNKNOWN_COLUMN (only with `unknownColumns: 'error'`). Row problems are the bulk framework's
 * `BulkProblem`s: REQUIRED (a `required` field is empty), TOO_LONG, EXTRA_FIELDS, then the caller's
 * validator's. `toBulkChecked` / `toBulkRows` hand the result to a `defineBulkAction`.
 */

/** The whole-file codes `parseCsvImport` refuses an upload with; an importing family lists them all in its enum. */
export type CsvImportErrorCode =
  | 'TOO_LARGE'
  | 'MALFORMED'
  | 'EMPTY'
  | 'TOO_MANY_ROWS'
  | 'MISSING_COLUMN'
  | 'DUPLICATE_COLUMN'
  | 'UNKNOWN_COLUMN';

export type CsvColumns = Readonly<Record<string, string | readonly string[]>>;

/** A validator's answer: its problems (values kept as they are), or a normalised value and its problems. */
export type CsvRowCheck = BulkProblem[] | { value: Record<string, unknown>; errors?: BulkProblem[] };

export type CsvImportOptions = {
  /** field → accepted header names; without it every header is a field, named as written (trimmed). */
  columns?: CsvColumns;
  /** Fields that must have a column, and a value in every row. */
  required?: readonly string[];
  /** Header names that map to no field: ignored (default) or refused. */
  unknownColumns?: 'ignore' | 'error';
  /** Checks one row (values by field, index from 1); runs only on rows without structural problems. */
  validate?: (values: Record<string, string>, index: number) => CsvRowCheck;
  maxBytes?: number;
  maxRows?: number;
  /** Longest value, in characters (default 1000). */
  maxField?: number;
  delimiter?: string;
  /** Where the content sits in the input, for whole-file userErrors (default ['input', 'content']). */
  field?: string[];
};

export type CsvImportRow = {
  /** 1-based among data rows (the header and skipped blank rows not counted), as the bulk framework's `row`. */
  index: number;
  /** The file line the row ends on (1-based, header included), for people. */
  line: number;
  values: Record<string, string>;
  /** The validator's normalised value, else `values`; null when the row has errors. */
  value: Record<string, unknown> | null;
  errors: BulkProblem[];
};

export type CsvImport = { total: number; valid: number; invalid: number; fields: string[]; rows: CsvImportRow[] };

const foldHeader = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/** Header position → field (null: not imported), or the whole-file problems. */
function mapHeader(
  header: string[],
  options: CsvImportOptions,
  at: string[],
): { fields: (string | null)[] } | { errors: UserError<CsvImportErrorCode>[] } {
  const errors: UserError<CsvImportErrorCode>[] = [];
  const byHeader = new Map<string, string>();
  for (const [field, names] of Object.entries(options.columns ?? {}))
    for (const name of [field, ...(typeof names === 'string' ? [names] : names)]) byHeader.set(foldHeader(name), field);
  const fields = header.map((raw) => {
    const name = raw.trim();
    if (!options.columns) return name === '' ? null : name;
    const field = byHeader.get(foldHeader(name)) ?? null;
    if (!field && name !== '' && options.unknownColumns === 'error')
      errors.push(userError('UNKNOWN_COLUMN', `Unknown column "${name}"`, at));
    return field;
  });
  if (!options.columns && fields.some((f) => f === null)) errors.push(userError('MALFORMED', 'The first line must name every column', at));
  const present = fields.filter((f): f is string => f !== null);
  for (const [i, f] of present.entries())
    if (present.indexOf(f) !== i) errors.push(userError('DUPLICATE_COLUMN', `More than one column gives "${f}"`, at));
  for (const f of options.required ?? []) if (!present.includes(f)) errors.push(userError('MISSING_COLUMN', `No column for "${f}"`, at));
  return errors.length ? { errors } : { fields };
}

function checkRow(record: string[], fields: (string | null)[], index: number, line: number, options: CsvImportOptions): CsvImportRow {
  const maxField = options.maxField ?? 1_000;
  const values: Record<string, string> = {};
  const errors: BulkProblem[] = [];
  for (const [i, raw] of record.entries()) {
    const value = raw.trim();
    if (value === '') continue;
    if (i >= fields.length) {
      errors.push(problem('EXTRA_FIELDS', `The row has ${record.length} fields; the header names ${fields.length}`));
      break;
    }
    const field = fields[i];
    if (field === null) continue;
    if (value.length > maxField) errors.push(problem('TOO_LONG', `At most ${maxField} characters`, field));
    else values[field] = value;
  }
  for (const f of options.required ?? [])
    if (!(f in values) && !errors.some((e) => e.field === f)) errors.push(problem('REQUIRED', 'Required', f));
  let value: Record<string, unknown> | null = errors.length ? null : values;
  if (!errors.length && options.validate) {
    const check = options.validate(values, index);
    const found = Array.isArray(check) ? check : (check.errors ?? []);
    errors.push(...found);
    value = found.length ? null : Array.isArray(check) ? values : check.value;
  }
  return { index, line, values, value, errors };
}

const malformed = (error: CsvError): string => {
  const line = typeof error.lines === 'number' ? ` at line ${error.lines}` : '';
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return `A quoted field is not closed${line}`;
  if (error.code === 'CSV_INVALID_CLOSING_QUOTE' || error.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE')
    return `Unexpected text after a closing quote${line}`;
  return `The CSV cannot be read${line}`;
};

/** Parses and checks a CSV upload; see the header for the rules and problem codes. */
export function parseCsvImport(content: string, options: CsvImportOptions = {}): Result<CsvImport, CsvImportErrorCode> {
  const at = options.field ?? ['input', 'content'];
  const maxBytes = options.maxBytes ?? BULK_LIMITS.maxBytes;
  const maxRows = options.maxRows ?? BULK_LIMITS.maxRows;
  const refuse = (code: CsvImportErrorCode, message: string): Result<CsvImport, CsvImportErrorCode> => ({
    ok: false,
    errors: [userError(code, message, at)],
  });
  if (Buffer.byteLength(content, 'utf8') > maxBytes) return refuse('TOO_LARGE', `Uploads are at most ${maxBytes} bytes`);

  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record comes as { record, info }; the sync typings do not say so.
    records = parse(content, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      delimiter: options.delimiter ?? ',',
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) return refuse('MALFORMED', malformed(error));
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return refuse('EMPTY', 'The upload has no rows');
  const mapped = mapHeader(header.record, options, at);
  if ('errors' in mapped) return { ok: false, errors: mapped.errors };

  const data = body.filter(({ record }) => record.some((v) => v.trim() !== ''));
  if (data.length === 0) return refuse('EMPTY', 'The upload has no rows');
  if (data.length > maxRows) return refuse('TOO_MANY_ROWS', `At most ${maxRows} rows per upload`);
  const rows = data.map(({ record, info }, i) => checkRow(record, mapped.fields, i + 1, info.lines, options));
  const valid = rows.filter((r) => r.errors.length === 0).length;
  const fields = mapped.fields.filter((f): f is string => f !== null);
  return { ok: true, value: { total: rows.length, valid, invalid: rows.length - valid, fields, rows } };
}

/** The rows as the bulk framework's validation results. */
export const toBulkChecked = (result: CsvImport): BulkChecked[] =>
  result.rows.map((r) => ({ row: r.index, value: r.value, problems: r.errors }));

/** The rows as the bulk framework's uploaded rows (values by field), e.g. to hand to an action's `validate`. */
export const toBulkRows = (result: CsvImport): BulkRowData[] => result.rows.map((r) => ({ row: r.index, data: r.values }));
