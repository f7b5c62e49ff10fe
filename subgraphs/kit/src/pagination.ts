import { badInput } from './errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type PageArgs = { first?: number | null; after?: string | null };

/** A validated page request: `limit` rows after the keyset position `after` (null = from the start). */
export type Page = { limit: number; after: unknown[] | null };

/**
 * Keyset cursors: the sort key's values of the last row, tagged with the sort they belong to,
 * base64url-encoded. Opaque to clients; a cursor from another sort is rejected rather than misread.
 */
export function encodeCursor(sort: string, values: unknown[]): string {
  return Buffer.from(JSON.stringify([sort, ...values])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string, arity: number): unknown[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput('Malformed cursor', 'after');
  }
  if (!Array.isArray(decoded) || decoded[0] !== sort || decoded.length !== arity + 1) {
    throw badInput('Malformed cursor, or a cursor from a different sort order', 'after');
  }
  const values = decoded.slice(1);
  if (!values.every((v) => v === null || typeof v === 'string' || typeof v === 'number')) {
    throw badInput('Malformed cursor', 'after');
  }
  return values;
}

export function parsePage(args: PageArgs, sort: string, arity: number): Page {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return { limit: first, after: args.after ? decodeCursor(args.after, sort, arity) : null };
}

export type Edge<T> = { cursor: string; node: T };
export type Connection<T> = {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};

/** `rows` were fetched with `limit + 1` so the extra row tells whether there is a next page. */
export function toConnection<T>(rows: T[], page: Page, sort: string, keyOf: (row: T) => unknown[]): Connection<T> {
  const nodes = rows.slice(0, page.limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(sort, keyOf(node)), node }));
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      hasPreviousPage: page.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
