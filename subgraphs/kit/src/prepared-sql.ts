import { createHash } from 'node:crypto';
import type { AbstractSqlConnection, EntityManager, Kysely, PostgreSqlConnection } from '@mikro-orm/postgresql';
import type pg from 'pg';

/*
 * Statements with server-side parameters, for the few hot paths where `em.execute` (every value inlined
 * into the SQL text, client-side) costs too much: `executeBound` for a statement with a large parameter
 * (a batch as one JSON value), `executePrepared` for a read whose planning costs as much as running it.
 */

/** A statement in PostgreSQL's numbered-parameter form, its name derived from its text. */
export type Prepared = { name: string; text: string; values: unknown[] };

/**
 * `sql` with `?` placeholders (as `em.execute` takes them) in numbered form. An array bound to `in (?)`
 * becomes `= any($n)` and one given to `array[?]` becomes `$n`: one array parameter, so the text — and the plan PostgreSQL keeps for it — does not
 * depend on the array's length. `?` inside quoted literals or identifiers is left alone.
 */
export function toPrepared(sql: string, params: readonly unknown[]): Prepared {
  const cacheKey = `${params.map((p) => (Array.isArray(p) ? 'a' : 's')).join('')}:${sql}`;
  const cached = shapes.get(cacheKey);
  if (cached) return { ...cached, values: [...params] };
  const prepared = numbered(sql, params);
  // A statement's shapes are few (the code's, not the data's): the cap only guards against a caller that inlines values.
  if (shapes.size >= 500) shapes.clear();
  shapes.set(cacheKey, { name: prepared.name, text: prepared.text });
  return prepared;
}

/** Numbered texts and names by placeholder shape (array or not) and `?` text: converting is a scan and a hash. */
const shapes = new Map<string, { name: string; text: string }>();

function numbered(sql: string, params: readonly unknown[]): Prepared {
  let text = '';
  let next = 0;
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (quote) {
      text += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      text += ch;
      continue;
    }
    if (ch !== '?') {
      text += ch;
      continue;
    }
    if (next >= params.length) throw new Error('toPrepared: more placeholders than parameters');
    const value = params[next++];
    const list = Array.isArray(value) ? /\b(in \(|array\[)$/i.exec(text) : null;
    const isIn = list?.[1].toLowerCase() === 'in (';
    if (list && sql[i + 1] === (isIn ? ')' : ']')) {
      // `in (?)` → `= any($n)`; `array[?]` → `$n` (an array already).
      text = `${text.slice(0, list.index)}${isIn ? `= any($${next})` : `$${next}`}`;
      i++;
    } else {
      if (Array.isArray(value)) throw new Error('toPrepared: an array parameter outside `in (?)` and `array[?]`');
      text += `$${next}`;
    }
  }
  if (next !== params.length) throw new Error('toPrepared: more parameters than placeholders');
  return { name: statementName('dcrm_', text), text, values: [...params] };
}

/** A prepared statement's name: its text's hash, so equal texts share one statement per connection. */
function statementName(prefix: string, text: string): string {
  return `${prefix}${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
}

/**
 * `run` on a client of the EntityManager's pool, released afterwards; a connection that failed
 * mid-statement is destroyed rather than handed out again.
 */
async function onPooledClient<T>(em: EntityManager, run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const pool = (await (em.getConnection() as PostgreSqlConnection).getNativeClient()) as pg.Pool;
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    return await run(client);
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    client.release(failed);
  }
}

/** Pooled connections already set to reuse generic plans (see `executePrepared`). */
const genericPlans = new WeakSet<object>();

/**
 * Rows of a read statement run as a named prepared statement of its pooled connection, with a generic
 * plan: PostgreSQL plans it once per connection and reuses the plan, where `em.execute` (parameters
 * inlined into the text) has it planned afresh on every request. For the few hot statements whose
 * planning costs as much as their execution (the catalog's product page and listing page: prices and
 * texts as correlated subqueries). The connection's `plan_cache_mode` is `force_generic_plan`: PostgreSQL
 * would otherwise keep planning a `limit $n` page for its parameters; it touches only statements sent
 * with parameters, and the ORM sends none (it inlines them). Use it for statements whose best plan does
 * not depend on their parameters' values (no text search, whose selectivity the plan needs).
 * Counted like any statement (the ORM's `onQuery`, the SQL counter); inside a transaction it runs through
 * the transaction's connection as `em.execute`.
 */
export async function executePrepared(em: EntityManager, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  if (em.isInTransaction()) return em.execute(sql, params);
  em.config.get('onQuery')(sql, params);
  const prepared = toPrepared(sql, params);
  return onPooledClient(em, async (client) => {
    if (!genericPlans.has(client)) {
      await client.query('set plan_cache_mode = force_generic_plan');
      genericPlans.add(client);
    }
    return (await client.query(prepared)).rows;
  });
}

type Compiled = Parameters<Kysely<unknown>['executeQuery']>[0];

/**
 * Runs one statement written with numbered parameters (`$1`, `$2`, …), bound by PostgreSQL, on the
 * EntityManager's connection (its transaction, if it is in one). On a hot path with a large parameter
 * (a batch as one JSON value) inlining it is most of the statement's client CPU. An array of texts (uuids,
 * times as ISO texts) goes as the literal node-postgres would make, made cheaper (`textArrayLiteral`).
 * No entity is hydrated; the statement counts like any other.
 */
export async function executeBound<T>(em: EntityManager, sql: string, parameters: readonly unknown[]): Promise<T[]> {
  const connection = em.getConnection() as AbstractSqlConnection;
  const ctx = em.getTransactionContext<Kysely<unknown>>();
  em.config.get('onQuery')(sql, [...parameters]);
  const bound = parameters.map((p) => (Array.isArray(p) ? (textArrayLiteral(p) ?? p) : p));
  const compiled = { sql, parameters: bound, query: { kind: 'RawNode', sqlFragments: [sql], parameters: [] }, queryId: { queryId: '' } };
  const result = await (ctx ?? connection.getClient()).executeQuery(compiled as unknown as Compiled);
  return result.rows as T[];
}

/** Statement names by text (a hash per text, not per call). */
const boundNames = new Map<string, string>();

/**
 * `executeBound` as a named prepared statement of its pooled connection: PostgreSQL parses and analyses
 * the text once per connection, and after five runs keeps a generic plan, where an unnamed statement is
 * parsed, analysed and planned on every call (the decision insert through `jsonb_to_recordset`, backend CPU
 * on a loaded machine, 3 interleaved rounds: ~34 → ~30 µs per row in batches of 40, ~28 → ~24 in batches of
 * 200). For the few hot statements of fixed text whose plan does
 * not depend on their parameters (a batch insert, a delete by ids): a text that varies per call (values
 * lists of one placeholder per row) would leave a prepared statement per shape on every connection.
 * Inside a transaction it runs through the transaction's connection, unnamed, as `executeBound`.
 */
export async function executeBoundPrepared<T>(em: EntityManager, sql: string, parameters: readonly unknown[]): Promise<T[]> {
  if (em.isInTransaction()) return executeBound<T>(em, sql, parameters);
  em.config.get('onQuery')(sql, [...parameters]);
  let name = boundNames.get(sql);
  if (!name) {
    name = statementName('dcrm_b_', sql);
    // The callers' texts are few (the code's shapes): the cap only guards against a caller that inlines values.
    if (boundNames.size >= 500) boundNames.clear();
    boundNames.set(sql, name);
  }
  const values = parameters.map((p) => (Array.isArray(p) ? (textArrayLiteral(p) ?? p) : p));
  return onPooledClient(em, async (client) => (await client.query({ name, text: sql, values })).rows as T[]);
}

/**
 * An array of texts (and nulls) as the PostgreSQL array literal node-postgres would send for it, byte
 * for byte (every element quoted, `"` and `\` escaped, null as NULL), built in one pass of appends where
 * node-postgres runs two replaces and its value conversion per element (about 120 against 210 ns per
 * element; a campaign chunk binds a dozen arrays of 5,000). Null for an array holding anything else
 * (dates, numbers, nested arrays): node-postgres converts those.
 */
export function textArrayLiteral(values: readonly unknown[]): string | null {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) literal += ',';
    if (value == null) literal += 'NULL';
    else if (typeof value !== 'string') return null;
    else if (value.includes('"') || value.includes('\\')) literal += `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    else literal += `"${value}"`;
  }
  return `${literal}}`;
}
