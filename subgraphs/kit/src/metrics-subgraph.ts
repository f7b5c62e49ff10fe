import { DEFAULT_JOB_SCHEMA } from './jobs.js';
import { Gauge, operationLabels, Registry, type RequestMetrics, requestMetrics } from './metrics.js';
import type { MikroORM } from './orm.js';

/** What a subgraph's scrape reads besides its requests: its ORM's pool and its job tasks' queue. */
export type SubgraphMetricsOptions = {
  name: string;
  orm: MikroORM;
  /** graphile-worker task identifiers this subgraph runs (their queue depth is reported). */
  tasks?: readonly string[];
  jobSchema?: string;
};

export type SubgraphMetrics = { registry: Registry; requests: RequestMetrics };

/** The query planner names a fetch `<client operation>__<subgraph>__<n>`: the label keeps the client's name. */
const PLANNED_FETCH = /__[_0-9A-Za-z]+__\d+$/;

/** A subgraph's registry: requests (operation = the client operation a fetch serves), database pool, job queue. */
export function subgraphMetrics(options: SubgraphMetricsOptions): SubgraphMetrics {
  const registry = new Registry();
  const subgraph = { subgraph: options.name };
  const labels = operationLabels();
  const requests = requestMetrics(registry, {
    prefix: 'dcrm_subgraph',
    constant: subgraph,
    operations: (name, ran) => labels(name?.replace(PLANNED_FETCH, ''), ran),
  });
  const tasks = options.tasks ?? [];
  resourceGauges(registry, options.name, resourceSnapshot(options.orm, tasks, options.jobSchema ?? DEFAULT_JOB_SCHEMA), tasks);
  return { registry, requests };
}

type PgPool = { totalCount: number; idleCount: number; waitingCount: number; options: { max?: number } };
type PoolCounts = { total: number; idle: number; waiting: number; max: number | undefined };
type JobCount = { task: string; state: string; n: number };
type Snapshot = { pool: PoolCounts | null; jobs: JobCount[] | null };

const JOB_STATES = ['waiting', 'scheduled', 'running', 'failed'] as const;

/**
 * What the pool and job gauges read, taken once per scrape (their collects run side by side): the pool
 * first, so the job count's own query is not seen waiting for a connection. MikroORM 7 hands out the
 * `pg` Pool under its Kysely dialect (`getNativeClient`). The job count is one grouped query over
 * graphile-worker's jobs table, which holds only jobs not yet done.
 */
function resourceSnapshot(orm: MikroORM, tasks: readonly string[], schema: string): () => Promise<Snapshot> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid job schema name: ${schema}`);
  const sql =
    `select t.identifier as task, case when j.locked_at is not null then 'running' when j.attempts >= j.max_attempts then 'failed' ` +
    `when j.run_at > now() then 'scheduled' else 'waiting' end as state, count(*)::int as n ` +
    `from "${schema}"._private_jobs j join "${schema}"._private_tasks t on t.id = j.task_id ` +
    `where t.identifier in (${tasks.map(() => '?').join(', ')}) group by 1, 2`;
  const take = async (): Promise<Snapshot> => {
    const connection = orm.em.getConnection();
    const native = (await connection.getNativeClient().catch(() => null)) as PgPool | null;
    const pool = native && { total: native.totalCount, idle: native.idleCount, waiting: native.waitingCount, max: native.options.max };
    // No job schema yet, or the database is away: no job series rather than a failed scrape.
    const jobs = tasks.length ? await connection.execute<JobCount[]>(sql, [...tasks]).catch(() => null) : null;
    return { pool, jobs };
  };
  let pending: Promise<Snapshot> | null = null;
  return () => {
    pending ??= take().finally(() => setImmediate(() => (pending = null)));
    return pending;
  };
}

function resourceGauges(registry: Registry, subgraph: string, snapshot: () => Promise<Snapshot>, tasks: readonly string[]) {
  new Gauge({
    name: 'dcrm_db_pool_connections',
    help: 'Connections of the subgraph ORM pool: busy (lent to a query or transaction) or idle.',
    labelNames: ['subgraph', 'state'],
    registers: [registry],
    async collect() {
      const { pool } = await snapshot();
      if (!pool) return;
      this.set({ subgraph, state: 'busy' }, pool.total - pool.idle);
      this.set({ subgraph, state: 'idle' }, pool.idle);
    },
  });
  new Gauge({
    name: 'dcrm_db_pool_waiting',
    help: 'Queries waiting for a connection of the subgraph ORM pool (it is exhausted while this is above 0).',
    labelNames: ['subgraph'],
    registers: [registry],
    async collect() {
      const { pool } = await snapshot();
      if (pool) this.set({ subgraph }, pool.waiting);
    },
  });
  new Gauge({
    name: 'dcrm_db_pool_max',
    help: 'Size limit of the subgraph ORM pool (DCRM_DB_POOL).',
    labelNames: ['subgraph'],
    registers: [registry],
    async collect() {
      const { pool } = await snapshot();
      if (pool?.max) this.set({ subgraph }, pool.max);
    },
  });
  if (!tasks.length) return;
  new Gauge({
    name: 'dcrm_job_queue_depth',
    help: 'Jobs of each task not yet done: waiting (due), scheduled (later), running (claimed by a worker), failed (out of attempts).',
    labelNames: ['subgraph', 'task', 'state'],
    registers: [registry],
    async collect() {
      const { jobs } = await snapshot();
      this.reset();
      if (!jobs) return;
      for (const task of tasks) for (const state of JOB_STATES) this.set({ subgraph, task, state }, 0);
      for (const row of jobs) this.set({ subgraph, task: row.task, state: row.state }, row.n);
    },
  });
}
