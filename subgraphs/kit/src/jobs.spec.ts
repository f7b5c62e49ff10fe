import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { manualClock } from './clock.js';
import { createDatabaseIfMissing, dropDatabase, withDatabase } from './database.js';
import { addJob, addJobs, createJobRunner, ensureJobSchema, type JobDb, type JobRunner, startJobs } from './jobs.js';

// Any server will do: DATABASE_URL's, else the one the global setup started, else a local one.
const adminUrl = process.env.DATABASE_URL ?? inject('databaseUrl') ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const reachable = await new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 })
  .connect()
  .then((client) => client.end().then(() => true))
  .catch(() => false);

/** A pg client as a `JobDb`: `?` → `$1..$n`, as MikroORM's `?` placeholders are written. */
function pgDb(client: pg.Client): JobDb {
  return {
    execute: (sql, params = []) => {
      let n = 0;
      return client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      );
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!reachable)('jobs (graphile-worker)', () => {
  const name = `dcrm_jobs_spec_${process.pid}_${Date.now()}`;
  const url = withDatabase(adminUrl, name);
  // Runs per payload id, and which runner handled each.
  const runs = new Map<string, number>();
  const handledBy = new Map<string, string[]>();
  let client: pg.Client;
  let orm: MikroORM;

  const taskList = (runner: string) => ({
    record: async (payload: { id: string }, helpers: { jobKey?: string | null; attempts: number }) => {
      runs.set(payload.id, (runs.get(payload.id) ?? 0) + 1);
      handledBy.set(payload.id, [...(handledBy.get(payload.id) ?? []), `${runner}:${helpers.jobKey ?? ''}`]);
      // Long enough that a second runner gets a share of a burst.
      await new Promise((resolve) => setTimeout(resolve, 25));
    },
  });
  const worker = (runner = 'once', concurrency = 1) => createJobRunner({ databaseUrl: url, taskList: taskList(runner), concurrency });

  beforeAll(async () => {
    await createDatabaseIfMissing(adminUrl, name);
    await ensureJobSchema(url);
    await ensureJobSchema(url); // idempotent
    client = new pg.Client({ connectionString: url });
    await client.connect();
    orm = await MikroORM.init({ clientUrl: url, entities: [], discovery: { warnWhenNoEntities: false } });
  });

  afterAll(async () => {
    await orm?.close();
    await client?.end();
    await dropDatabase(adminUrl, name);
  });

  it('runs a job only if its transaction committed (MikroORM em)', async () => {
    await expect(
      orm.em.fork().transactional(async (em) => {
        await addJob(em, 'record', { id: 'rolled-back' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await orm.em.fork().transactional((em) => addJob(em, 'record', { id: "committed ? 'quoted'" }));

    await worker().runOnce();
    expect(runs.get('rolled-back')).toBeUndefined();
    expect(runs.get("committed ? 'quoted'")).toBe(1);
  });

  it('runs a job only if its transaction committed (pg client)', async () => {
    await client.query('begin');
    await addJob(pgDb(client), 'record', { id: 'pg-rolled-back' });
    await client.query('rollback');
    await client.query('begin');
    await addJob(pgDb(client), 'record', { id: 'pg-committed' });
    await client.query('commit');

    await worker().runOnce();
    expect(runs.get('pg-rolled-back')).toBeUndefined();
    expect(runs.get('pg-committed')).toBe(1);
  });

  it('runs each job exactly once across two concurrent runners', async () => {
    const runners: JobRunner[] = [worker('a', 2), worker('b', 2)];
    await Promise.all(runners.map((r) => r.start()));
    try {
      const ids = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
      for (const id of ids) await addJob(pgDb(client), 'record', { id });
      await waitFor(() => ids.every((id) => runs.has(id)));
      // Let any duplicate delivery surface before counting.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
      const runnersUsed = new Set(ids.map((id) => handledBy.get(id)?.[0]?.split(':')[0]));
      expect(runnersUsed).toEqual(new Set(['a', 'b']));
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
  });

  it('stop() returns once its connections are closed, so a database stopped next finds none of them', async () => {
    // A proxy that passes the server's end of each connection on late, as a busy database would close it:
    // `open` holds the connections the database has not closed yet.
    const open = new Set<Socket>();
    const target = new URL(url);
    const proxy = createServer({ allowHalfOpen: true }, (socket) => {
      open.add(socket);
      const upstream = connect(Number(target.port || 5432), target.hostname);
      socket.pipe(upstream);
      upstream.on('data', (chunk) => socket.write(chunk));
      upstream.once('close', () =>
        setTimeout(() => {
          open.delete(socket);
          socket.end();
        }, 1_000),
      );
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String((proxy.address() as AddressInfo).port);
    const runner = createJobRunner({ databaseUrl: proxied.toString(), taskList: taskList('stop'), concurrency: 2 });
    try {
      await runner.start();
      await addJob(pgDb(client), 'record', { id: 'before-stop' });
      await waitFor(() => runs.has('before-stop'));
      expect(open.size).toBeGreaterThan(0);
      await runner.stop();
      expect(open.size).toBe(0);
    } finally {
      proxy.close();
    }
  });

  it('dedupes on jobKey: the later add replaces the pending job', async () => {
    await addJob(pgDb(client), 'record', { id: 'keyed-first' }, { jobKey: 'cart:1' });
    await addJob(pgDb(client), 'record', { id: 'keyed-second' }, { jobKey: 'cart:1' });

    await worker().runOnce();
    expect(runs.get('keyed-first')).toBeUndefined();
    expect(runs.get('keyed-second')).toBe(1);
    expect(handledBy.get('keyed-second')).toEqual(['once:cart:1']);
  });

  it('addJobs queues many jobs in one statement, inside the transaction, replacing a pending job of the same key', async () => {
    await addJob(pgDb(client), 'record', { id: 'many-old' }, { jobKey: 'many:1' });
    const statements: string[] = [];
    const counted: JobDb = {
      execute: (sql, params) => {
        statements.push(sql);
        return pgDb(client).execute(sql, params);
      },
    };
    await client.query('begin');
    await addJobs(counted, [{ identifier: 'record', payload: { id: 'many-rolled-back' } }]);
    await client.query('rollback');
    await addJobs(counted, [
      { identifier: 'record', payload: { id: 'many-1' }, jobKey: 'many:1' },
      { identifier: 'record', payload: { id: "many-2 ? 'quoted'" }, jobKey: 'many:2' },
      { identifier: 'record', payload: { id: 'many-later' }, runAt: new Date(Date.now() + 3_600_000) },
    ]);
    await addJobs(counted, []);
    expect(statements).toHaveLength(2);

    await worker().runOnce();
    expect(runs.get('many-rolled-back')).toBeUndefined();
    expect(runs.get('many-old')).toBeUndefined();
    expect(runs.get('many-1')).toBe(1);
    expect(runs.get("many-2 ? 'quoted'")).toBe(1);
    expect(handledBy.get('many-1')).toEqual(['once:many:1']);
    expect(runs.get('many-later')).toBeUndefined();
  });

  it('leaves a job until its runAt is due', async () => {
    // graphile-worker compares run_at with the database's now(), so these are real times.
    await addJob(pgDb(client), 'record', { id: 'later' }, { runAt: new Date(Date.now() + 3_600_000) });
    await addJob(pgDb(client), 'record', { id: 'overdue' }, { runAt: new Date(Date.now() - 60_000) });

    await worker().runOnce();
    expect(runs.get('later')).toBeUndefined();
    expect(runs.get('overdue')).toBe(1);
  });

  it('startJobs with DCRM_JOBS=off: no worker, and the job schema only for a subgraph that queues jobs', async () => {
    const off = { DCRM_JOBS: 'off' };
    expect(await startJobs({ databaseUrl: url, taskList: taskList('off'), schema: 'start_jobs_queued' }, off)).toBeNull();
    expect(await startJobs({ databaseUrl: url, taskList: taskList('off'), schema: 'start_jobs_cron', queuesJobs: false }, off)).toBeNull();
    const { rows } = await client.query(`select schema_name from information_schema.schemata where schema_name like 'start_jobs_%'`);
    expect(rows.map((r) => r.schema_name)).toEqual(['start_jobs_queued']);
  });

  it('startJobs otherwise: a started worker that runs queued jobs until stopped', async () => {
    const runner = await startJobs({ databaseUrl: url, taskList: taskList('started') }, {});
    try {
      expect(runner).not.toBeNull();
      await addJob(pgDb(client), 'record', { id: 'started' });
      await waitFor(() => runs.has('started'));
      expect(handledBy.get('started')).toEqual(['started:']);
    } finally {
      await runner?.stop();
    }
  });
});

describe('manualClock', () => {
  it('moves only when told', () => {
    const clock = manualClock(new Date('2026-01-01T00:00:00Z'));
    clock.now().setFullYear(2000); // a caller's mutation does not leak back
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:30.000Z');
    clock.set(new Date('2027-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});
