import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, freePort, startEmbeddedPostgres } from '@dcrm/kit';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision } from '../stack/src/provision.js';
import { type Stack, startStack } from '../stack/src/stack.js';
import { GENEROUS_COST, KEYS, testIp } from './support/stack.js';

/**
 * A PostgreSQL restart under a stream of writes. The database is this file's own embedded PostgreSQL
 * (own port, own data directory): the machine's shared one, which other test files use in parallel,
 * is never stopped.
 */
type Attempt = { email: string; sentAt: number; doneAt: number; status: number; ok: boolean; codes: string[]; retryAfter?: string };

const REGISTER =
  'mutation ($input: CustomerRegisterInput!) { customerRegister(input: $input) { customer { id } userErrors { code message } } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const within = async (what: string, work: Promise<unknown> | undefined, ms = 20_000): Promise<boolean> => {
  const done = await Promise.race([work?.then(() => true), sleep(ms).then(() => false)]);
  if (done === false) console.warn(`[tests] fault-database: ${what} did not finish within ${ms} ms`);
  return done !== false;
};

/** The postmaster of this test's own data directory (first line of postmaster.pid), never another PostgreSQL. */
const killPostmaster = (dataDir: string | undefined) => {
  const file = dataDir && join(dataDir, 'postmaster.pid');
  if (!file || !existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGKILL');
};

describe('a PostgreSQL restart mid-stream', () => {
  let dataDir: string;
  let port: number;
  let database: Database;
  let stack: Stack;
  const start = () => startEmbeddedPostgres({ dataDir, port, database: 'dcrm' });

  beforeAll(async () => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'dcrm-fault-pg-')), 'data');
    port = await freePort();
    database = await start();
    await provision(database.url, { seed: true });
    stack = await startStack({
      databaseUrl: database.url,
      seed: false,
      cost: { keyPrefix: `dcrm-test:fault:${process.pid}`, ...GENEROUS_COST },
    });
  }, 180_000);

  afterAll(async () => {
    // Bounded, so a stuck stop is reported instead of timing the hook out; our own PostgreSQL is killed then.
    await within('the stack stop', stack?.stop());
    if (!(await within('the PostgreSQL stop', database?.stop()))) killPostmaster(dataDir);
    if (dataDir) rmSync(join(dataDir, '..'), { recursive: true, force: true });
  }, 60_000);

  it('loses no acknowledged write, answers SERVICE_UNAVAILABLE (503, Retry-After) while it is away, and recovers within 5 s', async () => {
    const attempts: Attempt[] = [];
    let streaming = true;
    const register = async () => {
      const email = `fault-${Math.random().toString(36).slice(2, 12)}@example.com`;
      const sentAt = Date.now();
      const res = await request(stack.router.handler)
        .post('/graphql')
        .set({ 'content-type': 'application/json', 'x-api-key': KEYS.volt, 'x-forwarded-for': testIp() })
        .send({
          query: REGISTER,
          variables: { input: { name: 'Fault Tolerant', email, password: 'fault-password-42', marketingChannels: [] } },
        });
      const codes: string[] = res.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code ?? '?') ?? [];
      const ok = Boolean(res.body.data?.customerRegister?.customer?.id);
      attempts.push({ email, sentAt, doneAt: Date.now(), status: res.status, ok, codes, retryAfter: res.headers['retry-after'] });
    };
    // Two writers, one request after another each, until told to stop.
    const writers = [0, 1].map(async () => {
      while (streaming) await register();
    });
    const waitFor = async (check: () => boolean) => {
      for (let i = 0; i < 600 && !check(); i++) await sleep(50);
      expect(check()).toBe(true);
    };

    await waitFor(() => attempts.filter((a) => a.ok).length >= 5);
    await database.stop();
    await sleep(500);
    database = await start();
    const backAt = Date.now();
    await waitFor(() => attempts.some((a) => a.ok && a.sentAt >= backAt));
    await sleep(300);
    streaming = false;
    await Promise.all(writers);

    const failed = attempts.filter((a) => !a.ok);
    // The outage was seen (else this test proves nothing), and only ever as a retryable answer.
    expect(failed.length).toBeGreaterThan(0);
    for (const attempt of failed) expect(attempt).toMatchObject({ status: 503, codes: ['SERVICE_UNAVAILABLE'], retryAfter: '1' });
    expect(attempts.flatMap((a) => a.codes)).not.toContain('INTERNAL_SERVER_ERROR');

    // Full answers again soon after the database is back.
    const firstAfter = Math.min(...attempts.filter((a) => a.ok && a.sentAt >= backAt).map((a) => a.doneAt));
    expect(firstAfter - backAt).toBeLessThan(5_000);

    // No pooled connection is left checked out by a statement the restart cut short (kysely#1990, patched).
    await sleep(200);
    for (const booted of stack.subgraphs) {
      const connection = booted.orm.em.getConnection() as unknown as { getNativeClient(): Promise<pg.Pool> };
      const pool = await connection.getNativeClient();
      expect(pool.totalCount - pool.idleCount, booted.definition.name).toBe(0);
    }

    // Every write acknowledged as done is in the database.
    const acknowledged = attempts.filter((a) => a.ok).map((a) => a.email);
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const found = await db.query('select email from "customer"."customer" where email = any($1)', [acknowledged]);
      expect(found.rows.map((r) => r.email).sort()).toEqual([...acknowledged].sort());
    } finally {
      await db.end();
    }
  }, 120_000);
});
