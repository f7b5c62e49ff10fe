import { badInput } from './errors.js';
import { isUuid } from './ids.js';

/**
 * Relay cursor connections (https://relay.dev/graphql/connections.htm), both ways, by keyset:
 * `first`/`after` reads forward in the sort order; `last`/`before` reads the same order backward —
 * the query reverses its ORDER BY, takes `last + 1` rows, and `toConnection` turns them back round, so
 * a page is always in the sort order whichever way it was reached. `after` and `before` may be combined
 * (both bound the window); `first` with `last` is refused. Page sizes above the maximum are refused,
 * never clamped.
 */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type PageArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null };

/** Just the page arguments of a field's arguments (for loader keys). */
export const pageArgs = ({ first, after, last, before }: PageArgs): PageArgs => ({ first, after, last, before });

/**
 * A validated page request: `limit` rows strictly between the keyset positions `after` and `before`
 * (null = unbounded), read from the start (`backward: false`) or from the end (`backward: true`).
 */
export type Page = { limit: number; after: unknown[] | null; before: unknown[] | null; backward: boolean };

/** A page from the start with no cursors: for lists read whole or a fixed number of rows. */
export const firstPage = (limit: number): Page => ({ limit, after: null, before: null, backward: false });

/** Whether a page reads forward from the very start (what a per-parent loader's first rows answer). */
export const isFirstPage = (page: Page): boolean => !page.backward && page.after === null && page.before === null;

/**
 * Keyset cursors: the sort key's values of the row, tagged with the sort they belong to,
 * base64url-encoded. Opaque to clients; a cursor from another sort is rejected rather than misread.
 */
export function encodeCursor(sort: string, values: unknown[]): string {
  return Buffer.from(JSON.stringify([sort, ...values])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string, arity: number, field = 'after'): unknown[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput('Malformed cursor', field);
  }
  if (!Array.isArray(decoded) || decoded[0] !== sort || decoded.length !== arity + 1) {
    throw badInput('Malformed cursor, or a cursor from a different sort order', field);
  }
  const values = decoded.slice(1);
  if (!values.every((v) => v === null || typeof v === 'string' || typeof v === 'number')) {
    throw badInput('Malformed cursor', field);
  }
  return values;
}

/**
 * A page size argument checked against its maximum: an integer from 0 to `max`, else BAD_USER_INPUT
 * naming the maximum. Also for plain `first`/`limit` arguments of lists that are not connections.
 */
export function pageSize(value: number | null | undefined, fallback: number, field: string, max = MAX_PAGE_SIZE): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw badInput(`${field} must be an integer between 0 and ${max}; ask for more with the page cursors`, field);
  }
  return size;
}

export type PageOptions = { defaultSize?: number; max?: number };

export function parsePage(args: PageArgs, sort: string, arity: number, options: PageOptions = {}): Page {
  const { defaultSize = DEFAULT_PAGE_SIZE, max = MAX_PAGE_SIZE } = options;
  if (args.first != null && args.last != null) {
    throw badInput('Pass either first or last, not both', 'last');
  }
  const backward = args.last != null;
  const limit = backward ? pageSize(args.last, defaultSize, 'last', max) : pageSize(args.first, defaultSize, 'first', max);
  return {
    limit,
    after: args.after ? decodeCursor(args.after, sort, arity, 'after') : null,
    before: args.before ? decodeCursor(args.before, sort, arity, 'before') : null,
    backward,
  };
}

export type Edge<T> = { cursor: string; node: T };
export type PageInfo = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
export type Connection<T> = { edges: Edge<T>[]; nodes: T[]; pageInfo: PageInfo };

/**
 * `rows` were fetched with `limit + 1` in the travel order (reversed when `page.backward`), so the extra
 * row tells whether there is more in that direction; the other direction has more when a cursor bounds it.
 */
export function toConnection<T>(rows: T[], page: Page, sort: string, keyOf: (row: T) => unknown[]): Connection<T> {
  const more = rows.length > page.limit;
  const taken = rows.slice(0, page.limit);
  const nodes = page.backward ? taken.reverse() : taken;
  const edges = nodes.map((node) => ({ cursor: encodeCursor(sort, keyOf(node)), node }));
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: page.backward ? page.before !== null : more || page.before !== null,
      hasPreviousPage: page.backward ? more || page.after !== null : page.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * Pages a list held whole in memory, already in its order (a small taxonomy the request loads anyway):
 * cursors are the keys of its rows; one that no longer matches a row is BAD_USER_INPUT.
 */
export function pageList<T>(rows: readonly T[], page: Page, sort: string, keyOf: (row: T) => unknown[]): Connection<T> {
  const keys = rows.map((row) => JSON.stringify(keyOf(row)));
  const at = (cursor: unknown[], field: string) => {
    const index = keys.indexOf(JSON.stringify(cursor));
    if (index < 0) throw badInput('The cursor no longer matches an item; start again', field);
    return index;
  };
  const start = page.after ? at(page.after, 'after') + 1 : 0;
  const end = page.before ? at(page.before, 'before') : rows.length;
  const window = rows.slice(start, Math.max(start, end));
  return toConnection((page.backward ? window.reverse() : window).slice(0, page.limit + 1), page, sort, keyOf);
}

/** An empty page (nothing the caller may see), with the page arguments still validated. */
export const emptyConnection = <T>(): Connection<T> => ({
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
});

export type SortDir = 'asc' | 'desc';

/** The direction to read a key in: its sort direction, reversed when reading backward. */
export const travelDir = (dir: SortDir, page: Page): SortDir => (page.backward ? (dir === 'asc' ? 'desc' : 'asc') : dir);

/** One sort key of an ORM query: the entity property, its direction, and how a cursor value becomes a property value. */
export type OrmKey = { field: string; dir: SortDir; parse?: (value: unknown) => unknown };

/** A cursor's id value, checked: a tampered cursor fails as bad input, not as a database cast error. */
export function cursorId(value: unknown): string {
  if (!isUuid(value)) throw badInput('Malformed cursor');
  return value;
}

/** A cursor's text value, checked. */
export function cursorText(value: unknown): string {
  if (typeof value !== 'string') throw badInput('Malformed cursor');
  return value;
}

/** A cursor's timestamp value, checked. */
export function cursorDate(value: unknown): Date {
  const at = new Date(String(value));
  if (value === null || Number.isNaN(at.getTime())) throw badInput('Malformed cursor');
  return at;
}

/** MikroORM `orderBy` reading `keys` in the page's travel direction. */
export function keysetOrderBy(keys: OrmKey[], page: Page): Record<string, SortDir>[] {
  return keys.map((k) => ({ [k.field]: travelDir(k.dir, page) }));
}

/** MikroORM filter for "strictly beyond `values` in the sort order" (`side: 'after'`) or strictly before it. */
function ormBeyond(keys: OrmKey[], values: unknown[], side: 'after' | 'before'): Record<string, unknown> {
  const parsed = keys.map((k, i) => (k.parse ? k.parse(values[i]) : values[i]));
  const branches = keys.map((k, i) => {
    const greater = (k.dir === 'asc') === (side === 'after');
    const branch: Record<string, unknown> = {};
    for (let j = 0; j < i; j++) branch[keys[j].field] = parsed[j];
    branch[k.field] = { [greater ? '$gt' : '$lt']: parsed[i] };
    return branch;
  });
  return branches.length === 1 ? branches[0] : { $or: branches };
}

/** MikroORM filter for the page's window between its `after` and `before` cursors (`{}` when unbounded). */
export function keysetWhere(keys: OrmKey[], page: Page): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [];
  if (page.after) parts.push(ormBeyond(keys, page.after, 'after'));
  if (page.before) parts.push(ormBeyond(keys, page.before, 'before'));
  return parts.length === 0 ? {} : parts.length === 1 ? parts[0] : { $and: parts };
}

/** One sort key of a SQL query: an expression, its direction, and the type a cursor value is cast to. */
export type SqlKey = { expr: string; dir: SortDir; cast: string };

// A tampered cursor must fail as bad input, not as a database cast error.
const CASTS: Record<string, (v: unknown) => boolean> = {
  uuid: (v) => typeof v === 'string' && isUuid(v),
  int: (v) => Number.isInteger(Number(v)),
  numeric: (v) => v !== '' && Number.isFinite(Number(v)),
  real: (v) => v !== '' && Number.isFinite(Number(v)),
  timestamptz: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
};

function sqlBeyond(keys: SqlKey[], values: unknown[], side: 'after' | 'before', params: unknown[]): string {
  keys.forEach((k, i) => {
    const valid = CASTS[k.cast] ?? ((v: unknown) => typeof v === 'string');
    if (values[i] === null || !valid(values[i])) throw badInput('Malformed cursor', side);
  });
  const sameDir = keys.every((k) => k.dir === keys[0].dir);
  if (sameDir) {
    const op = (keys[0].dir === 'asc') === (side === 'after') ? '>' : '<';
    params.push(...values);
    return `(${keys.map((k) => k.expr).join(', ')}) ${op} (${keys.map((k) => `cast(? as ${k.cast})`).join(', ')})`;
  }
  const branches = keys.map((k, i) => {
    const op = (k.dir === 'asc') === (side === 'after') ? '>' : '<';
    const parts = keys.slice(0, i).map((p, j) => {
      params.push(values[j]);
      return `${p.expr} = cast(? as ${p.cast})`;
    });
    params.push(values[i]);
    parts.push(`${k.expr} ${op} cast(? as ${k.cast})`);
    return `(${parts.join(' and ')})`;
  });
  return `(${branches.join(' or ')})`;
}

/**
 * SQL for the page's window and order: `conditions` to AND into WHERE (their `?` parameters pushed onto
 * `params` in order) and the ORDER BY list in the travel direction. Keys must not be null.
 */
export function keysetSql(keys: SqlKey[], page: Page, params: unknown[]): { conditions: string[]; orderBy: string } {
  const conditions: string[] = [];
  if (page.after) conditions.push(sqlBeyond(keys, page.after, 'after', params));
  if (page.before) conditions.push(sqlBeyond(keys, page.before, 'before', params));
  const orderBy = keys.map((k) => `${k.expr} ${travelDir(k.dir, page)}`).join(', ');
  return { conditions, orderBy };
}

/** Orders rows fetched from several sources by `compare` (the sort order) in the page's travel direction. */
export function travelSort<T>(rows: T[], page: Page, compare: (a: T, b: T) => number): T[] {
  return rows.sort((a, b) => (page.backward ? -compare(a, b) : compare(a, b)));
}
