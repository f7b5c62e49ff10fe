import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseIfMissing, type Database, dropDatabase, startEmbeddedPostgres, withDatabase } from '@dcrm/kit';
import type { TestProject } from 'vitest/node';
import { provision } from '../../stack/src/provision.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: 'server' | 'embedded';
  }
}

/**
 * One fresh database per run: on the server at DATABASE_URL when set (CI), otherwise in an embedded
 * PostgreSQL started here. Migrated and seeded once; tests add what they need with unique names.
 */
export default async function setup(project: TestProject) {
  let embedded: Database | null = null;
  let dataDir: string | null = null;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'dcrm-test-pg-'));
    embedded = await startEmbeddedPostgres({ dataDir, port: 55000 + Math.floor(Math.random() * 5000), database: 'postgres' });
    adminUrl = embedded.url;
  }
  const name = `dcrm_test_${process.pid}_${Date.now()}`;
  await createDatabaseIfMissing(adminUrl, name);
  const url = withDatabase(adminUrl, name);
  await provision(url, { seed: true });
  project.provide('databaseUrl', url);
  project.provide('databaseKind', embedded ? 'embedded' : 'server');

  return async () => {
    await dropDatabase(adminUrl, name).catch(() => {});
    if (embedded) await embedded.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
