/**
 * Both servers of the peer bench, each on its own scratch database of the local PostgreSQL: dcrm's all-in-one
 * process on `pnpm db:seed --scale N` data, and Vendure's server on the same Volt products, imported with its
 * own `populate()`. Vendure lives in bench/peer/node_modules (its own lockfile, `npm ci` on first use), never
 * in the pnpm workspace.
 */

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDatabaseIfMissing, dropDatabase, withDatabase } from '@dcrm/kit';
import pg from 'pg';
import { migrateAndSeed } from '../database.js';
import { benchEnv, type Child, cpuMicros, freePort, startChild, UNLIMITED_COST_BUDGET, waitReady } from '../processes.js';
import { exportVolt, writeImport } from './catalogue.js';

const PEER_DIR = resolve(import.meta.dirname);
/** Images, the import files and Vendure's asset store: rebuilt each run (gitignored). */
export const DATA_DIR = join(PEER_DIR, '.data');

export type Server = { name: 'dcrm' | 'Vendure'; url: string; database: string; child: Child; cpu: () => number | null };

/** `npm ci` into bench/peer/node_modules when Vendure is not there yet: the workspace's install never has it. */
export function ensureVendureInstalled(log: (line: string) => void): void {
  if (existsSync(join(PEER_DIR, 'node_modules', '@vendure', 'core', 'package.json'))) return;
  log('installing Vendure into bench/peer/node_modules (npm ci)');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: PEER_DIR, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm ci in ${PEER_DIR} failed (${result.status ?? result.signal})`);
}

/** A database created empty (dropped first if a crashed run left it). */
async function scratchDatabase(adminUrl: string, name: string): Promise<string> {
  await dropDatabase(adminUrl, name);
  await createDatabaseIfMissing(adminUrl, name);
  return withDatabase(adminUrl, name);
}

export async function dropScratch(adminUrl: string, servers: string[]): Promise<void> {
  for (const name of servers) await dropDatabase(adminUrl, name).catch(() => undefined);
}

const local = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;

/** dcrm seeded at `scale`, in its all-in-one shape, with the env `pnpm bench` gives it. */
export async function startDcrm(
  adminUrl: string,
  database: string,
  scale: number,
  reuse: boolean,
  log: (line: string) => void,
): Promise<Server> {
  let url = withDatabase(adminUrl, database);
  if (!reuse) {
    url = await scratchDatabase(adminUrl, database);
    const started = Date.now();
    await migrateAndSeed(url, scale, log);
    log(`dcrm: ${database} seeded at scale ${scale} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const port = await freePort();
  const child = startChild('dcrm all-in-one', 'bench/all-in-one-server.ts', {
    PORT: String(port),
    ...benchEnv(url),
    DCRM_JOBS: 'off',
    ...UNLIMITED_COST_BUDGET,
  });
  await waitReady(child, local(port, '/readyz'));
  return { name: 'dcrm', url: local(port, '/graphql'), database, child, cpu: () => cpuMicros(child) };
}

/** Exports the Volt catalogue from dcrm, imports it into a fresh Vendure database and starts Vendure's server. */
export async function startVendure(
  adminUrl: string,
  database: string,
  dcrm: Server,
  reuse: boolean,
  log: (line: string) => void,
): Promise<Server> {
  const port = await freePort();
  const url = withDatabase(adminUrl, database);
  const env = {
    PORT: String(port),
    DATABASE_URL: url,
    PEER_DATA_DIR: DATA_DIR,
    NODE_ENV: 'production',
    SUPERADMIN_PASSWORD: randomBytes(16).toString('hex'),
    COOKIE_SECRET: randomBytes(16).toString('hex'),
    // No usage report home (it would write bench/peer/.vendure/ and try the network at start).
    VENDURE_DISABLE_TELEMETRY: 'true',
  };
  if (!reuse) await populateVendure(adminUrl, database, dcrm, env, log);
  const child = startChild('Vendure server', join(PEER_DIR, 'vendure', 'server.ts'), env);
  await waitReady(child, local(port, '/health'), 180_000);
  return { name: 'Vendure', url: local(port, '/shop-api'), database, child, cpu: () => cpuMicros(child) };
}

async function populateVendure(adminUrl: string, database: string, dcrm: Server, env: NodeJS.ProcessEnv, log: (line: string) => void) {
  rmSync(join(DATA_DIR, 'assets'), { recursive: true, force: true });
  rmSync(join(DATA_DIR, 'vendure-import-error.log'), { force: true });
  mkdirSync(DATA_DIR, { recursive: true });
  const products = await exportVolt(dcrm.url);
  const written = writeImport(DATA_DIR, products);
  log(`Vendure: ${written.products} products (${written.rows} CSV rows), ${written.categories.length} collections`);
  await scratchDatabase(adminUrl, database);
  const started = Date.now();
  const populate = startChild('Vendure populate', join(PEER_DIR, 'vendure', 'populate.ts'), env);
  const code = await new Promise<number | null>((done) => populate.process.once('exit', (c) => done(c)));
  if (code !== 0) throw new Error(`Vendure populate exited ${code}:\n${populate.output.join('').slice(-4000)}`);
  // Planner statistics, as dcrm's seed ends with (and autovacuum would give either in time; it may be off here).
  const client = new pg.Client({ connectionString: withDatabase(adminUrl, database) });
  await client.connect();
  await client.query('vacuum (analyze)').finally(() => client.end());
  log(
    `Vendure: ${database} populated in ${((Date.now() - started) / 1000).toFixed(0)} s (${populate.output.join('').match(/search index: [^\n]*/)?.[0]})`,
  );
}
