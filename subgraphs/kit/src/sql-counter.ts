import { loggerFor } from './logger.js';
import { runInScope, scopePart } from './request-scope.js';

/** Counts SQL statements per request: the N+1 guard in tests and the bench read it. */
export type SqlCount = { statements: number };

const storage = {
  getStore: () => scopePart('sql'),
  run: <T>(count: SqlCount, fn: () => T): T => runInScope('sql', count, fn),
};
const logSql = process.env.DCRM_LOG_SQL === '1';

export const sqlCounter = {
  /** Runs `fn` with a fresh counter; statements issued inside it (any await depth) are counted. */
  async run<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const count: SqlCount = { statements: 0 };
    const result = await storage.run(count, fn);
    return { result, statements: count.statements };
  },
  current(): SqlCount | undefined {
    return storage.getStore();
  },
  /** Adds statements counted elsewhere (a remote subgraph's response header) to the current request. */
  add(statements: number): void {
    const count = storage.getStore();
    if (count) count.statements += statements;
  },
  /** MikroORM `onQuery` hook. */
  onQuery(sql: string): string {
    const count = storage.getStore();
    if (count) count.statements += 1;
    if (logSql) loggerFor('sql').info(sql.replace(/\s+/g, ' ').slice(0, 160));
    return sql;
  },
};

export const SQL_COUNT_HEADER = 'x-dcrm-sql-statements';
