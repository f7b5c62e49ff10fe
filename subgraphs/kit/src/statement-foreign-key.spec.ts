import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementForeignKeySql } from './statement-foreign-key.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// A schema of its own, dropped afterwards: the shared test database holds other files' tables.
const schema = `fk_spec_${randomUUID().slice(0, 8)}`;
const s = `"${schema}"`;
const clients: pg.Client[] = [];
const connect = async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
};
const [a, b, missing] = [randomUUID(), randomUUID(), randomUUID()];
let db: pg.Client;

beforeAll(async () => {
  db = await connect();
  await db.query(`create schema ${s}`);
  await db.query(`create table ${s}.parent (id uuid primary key, name text)`);
  await db.query(`create table ${s}.child (id serial primary key, parent_id uuid)`);
  await db.query(`create index on ${s}.child (parent_id)`);
  for (const sql of statementForeignKeySql({ schema, name: 'child_parent_fk', child: 'child', column: 'parent_id', parent: 'parent' }))
    await db.query(sql);
  await db.query(`insert into ${s}.parent (id) values ($1), ($2)`, [a, b]);
});

afterAll(async () => {
  await db.query(`drop schema ${s} cascade`);
  await Promise.all(clients.map((c) => c.end()));
});

const violation = { code: '23503', constraint: 'child_parent_fk' };

describe('statementForeignKeySql', () => {
  it('takes rows whose parents exist (or are null), refuses a statement with one that does not', async () => {
    await db.query(`insert into ${s}.child (parent_id) select unnest($1::uuid[])`, [[a, a, b, null]]);
    await expect(db.query(`insert into ${s}.child (parent_id) select unnest($1::uuid[])`, [[a, missing]])).rejects.toMatchObject(violation);
    await expect(db.query(`update ${s}.child set parent_id = $1 where parent_id = $2`, [missing, b])).rejects.toMatchObject(violation);
    expect((await db.query(`select count(*)::int as n from ${s}.child`)).rows[0].n).toBe(4);
  });

  it('refuses deleting, re-keying or truncating a referenced parent; other parent updates pass', async () => {
    await expect(db.query(`delete from ${s}.parent where id = $1`, [a])).rejects.toMatchObject(violation);
    await expect(db.query(`update ${s}.parent set id = $1 where id = $2`, [missing, a])).rejects.toMatchObject(violation);
    await expect(db.query(`truncate ${s}.parent`)).rejects.toMatchObject(violation);
    await db.query(`update ${s}.parent set name = 'renamed' where id = $1`, [a]);
    const free = randomUUID();
    await db.query(`insert into ${s}.parent (id) values ($1)`, [free]);
    await db.query(`delete from ${s}.parent where id = $1`, [free]);
  });

  it('a parent deleted while an insert referencing it is in flight: the delete waits for it, then fails', async () => {
    const p = randomUUID();
    await db.query(`insert into ${s}.parent (id) values ($1)`, [p]);
    const inserter = await connect();
    const deleter = await connect();
    await inserter.query('begin');
    await inserter.query(`insert into ${s}.child (parent_id) values ($1)`, [p]);
    const deleting = deleter.query(`delete from ${s}.parent where id = $1`, [p]);
    const outcome = deleting.then(
      () => 'deleted',
      (e: { code?: string }) => e.code,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await inserter.query('commit');
    expect(await outcome).toBe('23503');
  });

  it('an insert referencing a parent whose delete is in flight: the insert waits for it, then fails', async () => {
    const p = randomUUID();
    await db.query(`insert into ${s}.parent (id) values ($1)`, [p]);
    const inserter = await connect();
    const deleter = await connect();
    await deleter.query('begin');
    await deleter.query(`delete from ${s}.parent where id = $1`, [p]);
    const outcome = inserter.query(`insert into ${s}.child (parent_id) values ($1)`, [p]).then(
      () => 'inserted',
      (e: { code?: string }) => e.code,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await deleter.query('commit');
    expect(await outcome).toBe('23503');
  });

  it('deletes parents only under READ COMMITTED; inserts under REPEATABLE READ lock their parents as a foreign key does', async () => {
    const other = await connect();
    await other.query('begin isolation level repeatable read');
    await expect(other.query(`delete from ${s}.parent where id = $1`, [b])).rejects.toMatchObject({ code: '0A000' });
    await other.query('rollback');
    await other.query('begin isolation level repeatable read');
    try {
      await other.query(`insert into ${s}.child (parent_id) values ($1)`, [b]);
      const free = await db.query(`select id from ${s}.parent where id = $1 for update skip locked`, [b]);
      expect(free.rows).toHaveLength(0);
    } finally {
      await other.query('rollback');
    }
  });
});
