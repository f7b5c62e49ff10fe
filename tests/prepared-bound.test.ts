import { executeBound, executeBoundPrepared } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { startTestStack } from './support/stack.js';

/**
 * kit `executeBoundPrepared` (the decision recorder's insert, the outbox delete): a named prepared
 * statement of its connection, so PostgreSQL parses and plans it once per connection, not per batch. A
 * statement reading `pg_prepared_statements` sees itself there only when it was sent named.
 */
let stack: Stack;
let em: () => EntityManager;
beforeAll(async () => {
  stack = await startTestStack();
  const promotion = stack.subgraphs.find((s) => s.definition.name === 'promotion');
  if (!promotion?.orm) throw new Error('no promotion subgraph');
  const orm = promotion.orm;
  em = () => orm.em.fork() as EntityManager;
});
afterAll(() => stack.stop());

// Its own entry: the prepared statement whose text is the query running.
const SELF = 'select name from pg_prepared_statements where statement = current_query() and $1::text is not null';

describe('executeBoundPrepared', () => {
  it('runs as a named prepared statement, the same name each time', async () => {
    const marker = `m${Date.now()}`;
    const first = await executeBoundPrepared<{ name: string }>(em(), SELF, [marker]);
    expect(first).toHaveLength(1);
    expect(first[0].name).toMatch(/^dcrm_b_[0-9a-f]{20}$/);
    const again = await executeBoundPrepared<{ name: string }>(em(), SELF, [marker]);
    expect(again).toEqual(first);
    // Unnamed (executeBound), the statement is not kept.
    expect(await executeBound(em(), `${SELF} and true`, [marker])).toEqual([]);
  });

  it('inside a transaction: unnamed, on the transaction connection, bound the same', async () => {
    const marker = `t${Date.now()}`;
    const rows = await em().transactional((tx) => executeBoundPrepared(tx as EntityManager, `${SELF} and $2::int = 1`, [marker, 1]));
    expect(rows).toEqual([]);
  });
});
