import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseIfMissing, dropDatabase, startEmbeddedPostgres, withDatabase } from '@dcrm/kit';
import { provision } from '../stack/src/provision.js';

export type BenchDatabase = { url: string; kind: 'server' | 'embedded'; drop(): Promise<void> };

/**
 * A fresh database for one run: `dcrm_bench_<timestamp>` on the server at `serverUrl`, or on an embedded
 * PostgreSQL in a temp directory (listening on `embeddedPort`). `drop` removes it (and the embedded server).
 */
export async function freshDatabase(
  serverUrl: string | undefined,
  embeddedPort: number,
  log: (line: string) => void,
): Promise<BenchDatabase> {
  const name = `dcrm_bench_${Date.now()}`;
  if (serverUrl) {
    await createDatabaseIfMissing(serverUrl, name);
    log(`database ${name} on DATABASE_URL`);
    return { url: withDatabase(serverUrl, name), kind: 'server', drop: () => dropDatabase(serverUrl, name) };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'dcrm-bench-pg-'));
  const started = Date.now();
  const embedded = await startEmbeddedPostgres({ dataDir, port: embeddedPort, database: name });
  log(`embedded PostgreSQL on :${embeddedPort} (${dataDir}) in ${Date.now() - started} ms`);
  return {
    url: embedded.url,
    kind: 'embedded',
    drop: async () => {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Migrations and demo data for every subgraph, exactly as `pnpm db:seed --scale N` does. */
export async function migrateAndSeed(url: string, scale: number, log: (line: string) => void): Promise<void> {
  // Provisioning ends each seeded schema with `vacuum (analyze)`: planner statistics, a visibility map and hint
  // bits, as a production database would have, and no autovacuum visiting the new rows during the measurement
  // (at 100,000 products, seconds of CPU on a two-core machine).
  await provision(url, { seed: true, scale, log });
}
