import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseIfMissing, createOrm, dropDatabase, migrate, startEmbeddedPostgres, withDatabase } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { SUBGRAPHS } from '../router/src/subgraphs.js';

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
  for (const definition of SUBGRAPHS) {
    const orm = await createOrm({
      name: definition.name,
      databaseUrl: url,
      entities: definition.entities,
      migrations: definition.migrations,
    });
    try {
      await migrate(orm);
      if (!definition.seed) continue;
      const started = Date.now();
      const summary = await definition.seed(orm.em.fork() as EntityManager, { scale });
      log(`${definition.name}: seeded in ${Date.now() - started} ms ${JSON.stringify(summary).slice(0, 120)}`);
    } finally {
      await orm.close();
    }
  }
  // Fresh bulk-loaded tables have no planner statistics yet; a production database would.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('analyze').finally(() => client.end());
}
