import type { AbstractSqlConnection, EntityManager, Kysely } from '@mikro-orm/postgresql';
import { sqlCounter } from './sql-counter.js';

type Compiled = Parameters<Kysely<unknown>['executeQuery']>[0];

/**
 * Runs one statement with server-side bound parameters (`$1`, `$2`, …) on the EntityManager's
 * connection (its transaction, if it is in one). `em.execute` inlines every parameter into the SQL
 * text client-side (escaping it on the way); on a hot path with a large parameter (a batch as one JSON
 * value) that formatting is most of the statement's client CPU. No entity is hydrated; the statement
 * still counts in the request's SQL count.
 */
export async function executeBound<T>(em: EntityManager, sql: string, parameters: readonly unknown[]): Promise<T[]> {
  const connection = em.getConnection() as AbstractSqlConnection;
  const ctx = em.getTransactionContext<Kysely<unknown>>();
  sqlCounter.onQuery(sql);
  const compiled = { sql, parameters, query: { kind: 'RawNode', sqlFragments: [sql], parameters: [] }, queryId: { queryId: '' } };
  const result = await (ctx ?? connection.getClient()).executeQuery(compiled as unknown as Compiled);
  return result.rows as T[];
}
