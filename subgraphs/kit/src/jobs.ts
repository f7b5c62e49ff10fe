import type { Logger, Runner, RunnerOptions, TaskList } from 'graphile-worker';
import pg from 'pg';
import { auditAs } from './audit-record.js';
import { loggerFor } from './logger.js';
import { inConsumerSpan } from './tracing.js';

export const DEFAULT_JOB_SCHEMA = 'graphile_worker';

// Loaded when a worker starts or runs: a process without jobs (catalog, customer, DCRM_JOBS=off) never holds it.
const graphileWorker = () => import('graphile-worker');

export type JobHandler<P> = (payload: P, helpers: { jobKey?: string | null; attempts: number }) => Promise<void>;

/**
 * Handlers by task identifier. `never` lets any `JobHandler<P>` in: the payload comes back from JSON,
 * so each handler owns (and should check) its payload's shape.
 */
export type JobTaskList = Record<string, JobHandler<never>>;

export type JobRunnerOptions = {
  databaseUrl: string;
  taskList: JobTaskList;
  /** Jobs run at once by this process; other instances claim theirs in the database. */
  concurrency?: number;
  /** graphile-worker crontab lines, e.g. `0 * * * * expire_carts`: the safety net. */
  crontab?: string;
  /** ms between polls for jobs that became due; new jobs arrive at once by LISTEN/NOTIFY. */
  pollInterval?: number;
  schema?: string;
  /** Whose jobs: the worker's warnings and errors go to this component's logger. */
  component?: string;
};

export type JobRunner = {
  /** Starts a long-lived worker pool (and cron) that runs until `stop`. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs every job due now, then returns. */
  runOnce(): Promise<void>;
};

/** What `addJob` needs of an EntityManager: MikroORM's `em.execute` (with `?` placeholders) fits. */
export type JobDb = { execute(sql: string, params?: unknown[]): Promise<unknown> };

export type AddJobOptions = {
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
  schema?: string;
};

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const maxPoolSize = (options.concurrency ?? 1) + 2;
  const base = async (): Promise<RunnerOptions> => ({
    connectionString: options.databaseUrl,
    // The jobs running at once plus the LISTEN connection and one to spare (graphile-worker's default is 10).
    maxPoolSize,
    schema: options.schema ?? DEFAULT_JOB_SCHEMA,
    taskList: toTaskList(options.taskList),
    logger: await toLogger(options.component),
    pollInterval: options.pollInterval,
    // The host process owns SIGINT/SIGTERM and calls stop(); graphile-worker's handlers would race it.
    noHandleSignals: true,
  });
  let runner: Runner | null = null;
  let pool: OwnPool | null = null;
  return {
    async start() {
      if (runner) return;
      const worker = await graphileWorker();
      const { connectionString: _url, ...shared } = await base();
      if (runner) return;
      // Our own pool, ended (awaited) after the runner stops: graphile-worker's own is ended without waiting
      // and loses its error listener, so a connection the database closes late crashed the process.
      const own = ownPool(options.databaseUrl, maxPoolSize, shared.logger as Logger);
      pool = own;
      try {
        runner = await worker.run({
          ...shared,
          pgPool: own.pool,
          concurrency: options.concurrency ?? 1,
          // Always parsed here: without it graphile-worker reads `./crontab` from the working directory.
          parsedCronItems: worker.parseCrontab(options.crontab ?? ''),
        });
      } catch (error) {
        pool = null;
        await own.end();
        throw error;
      }
      // A pool that dies must not become an unhandled rejection that kills the process.
      runner.promise.catch((error: unknown) => shared.logger?.error(`job runner stopped: ${String(error)}`));
    },
    async stop() {
      const current = runner;
      const currentPool = pool;
      runner = null;
      pool = null;
      await current?.stop();
      await currentPool?.end();
    },
    runOnce: async () => (await graphileWorker()).runOnce(await base()),
  };
}

type OwnPool = { pool: pg.Pool; end(): Promise<void> };

/**
 * A pool whose `end` resolves once every connection is closed. pg's own `end` resolves as soon as its
 * clients are told to end: a database stopped right after (the all-in-one's) still finds their backends
 * under load and terminates them, which each connection then reports as an error.
 */
function ownPool(connectionString: string, max: number, logger: Logger): OwnPool {
  const pool = new pg.Pool({ connectionString, max });
  const open = new Set<pg.Client>();
  pool.on('error', (error) => logger.warn(`job pool: ${error.message}`));
  pool.on('connect', (client) => {
    open.add(client);
    client.on('error', (error) => logger.warn(`job connection: ${error.message}`));
  });
  // Emitted once a removed client's connection has closed (pg waits for its socket).
  pool.on('remove', (client) => open.delete(client));
  return {
    pool,
    async end() {
      const closed = new Promise<void>((resolve) => {
        const check = () => {
          if (open.size > 0) return;
          pool.off('remove', check);
          resolve();
        };
        pool.on('remove', check);
        check();
      });
      await pool.end();
      await closed;
    },
  };
}

export type StartJobsOptions = JobRunnerOptions & {
  /** Whether the subgraph's writes queue jobs (`addJob`), so a process without a worker still needs the schema. Default true. */
  queuesJobs?: boolean;
};

/**
 * A subgraph's jobs at start-up: every instance runs a worker (and the cron), graphile-worker claims each
 * job once. `DCRM_JOBS=off` (tests) runs none, and gives null: tests run the handlers directly; writes
 * still queue jobs, so graphile-worker's schema is installed unless `queuesJobs` is false.
 */
export async function startJobs(options: StartJobsOptions, env: NodeJS.ProcessEnv = process.env): Promise<JobRunner | null> {
  const { queuesJobs = true, ...runnerOptions } = options;
  if (env.DCRM_JOBS === 'off') {
    if (queuesJobs) await ensureJobSchema(options.databaseUrl, { schema: options.schema });
    return null;
  }
  const runner = createJobRunner(runnerOptions);
  await runner.start();
  return runner;
}

/** Installs (or upgrades) graphile-worker's schema, so `addJob` works before any worker has started. */
export async function ensureJobSchema(databaseUrl: string, options: { schema?: string } = {}): Promise<void> {
  const { runMigrations } = await graphileWorker();
  await runMigrations({ connectionString: databaseUrl, schema: options.schema ?? DEFAULT_JOB_SCHEMA, logger: await toLogger() });
}

/**
 * Adds a job through the caller's EntityManager, so inside its transaction: the job exists iff the write
 * commits. Scalars only (MikroORM expands arrays into `?, ?`); `?` placeholders as MikroORM expects.
 */
export async function addJob(em: JobDb, identifier: string, payload: unknown, options: AddJobOptions = {}): Promise<void> {
  const schema = quoteSchema(options.schema ?? DEFAULT_JOB_SCHEMA);
  await em.execute(
    `select ${schema}.add_job(identifier => ?, payload => ?::json, run_at => ?::timestamptz, max_attempts => ?::int, ` +
      `job_key => ?, job_key_mode => ?)`,
    [
      identifier,
      payload === undefined ? null : JSON.stringify(payload),
      options.runAt?.toISOString() ?? null,
      options.maxAttempts ?? null,
      options.jobKey ?? null,
      options.jobKeyMode ?? 'replace',
    ],
  );
}

export type JobSpec = { identifier: string; payload: unknown; runAt?: Date; jobKey?: string; maxAttempts?: number };

/**
 * Adds many jobs in one statement (graphile-worker `add_jobs`) through the caller's EntityManager, so
 * inside its transaction, as `addJob`. A job key already queued is replaced (`addJob`'s default mode);
 * the keys of one call must differ.
 */
export async function addJobs(em: JobDb, specs: JobSpec[], options: { schema?: string } = {}): Promise<void> {
  if (specs.length === 0) return;
  const schema = quoteSchema(options.schema ?? DEFAULT_JOB_SCHEMA);
  const rows = specs.map((s) => ({
    identifier: s.identifier,
    payload: s.payload ?? null,
    run_at: s.runAt?.toISOString() ?? null,
    max_attempts: s.maxAttempts ?? null,
    job_key: s.jobKey ?? null,
  }));
  // One JSON parameter whatever the count: the statement text does not grow with the jobs.
  await em.execute(
    `select count(*) from ${schema}.add_jobs(array(select json_populate_recordset(null::${schema}.job_spec, ?::json)), false)`,
    [JSON.stringify(rows)],
  );
}

function toTaskList(handlers: JobTaskList): TaskList {
  const tasks: TaskList = {};
  for (const [identifier, handler] of Object.entries(handlers)) {
    // Each run is a trace of its own (the subgraph calls it makes join it); the enqueuing request's is not carried.
    // What a job writes is audited as the job's (audit-record.ts).
    tasks[identifier] = (payload, helpers) =>
      inConsumerSpan(`job ${identifier}`, undefined, { 'dcrm.job.attempts': helpers.job.attempts }, () =>
        auditAs({ kind: 'job', id: identifier }, () =>
          handler(payload as never, { jobKey: helpers.job.key, attempts: helpers.job.attempts }),
        ),
      );
  }
  return tasks;
}

/** graphile-worker logs to the console by default; here only its warnings and errors, to the caller's log. */
async function toLogger(component = 'jobs'): Promise<Logger> {
  const { Logger } = await graphileWorker();
  // Warnings and errors only: graphile-worker reports every poll and completed job at debug/info.
  return new Logger(() => (level, message) => {
    if (level === 'error') loggerFor(component).error(message);
    else if (level === 'warning') loggerFor(component).warn(message);
  });
}

function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid job schema name: ${schema}`);
  return `"${schema}"`;
}
