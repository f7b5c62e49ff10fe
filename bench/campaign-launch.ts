/**
 * `pnpm exec tsx bench/campaign-launch.ts [--customers 100000,1000000] [--workers 1,2] [--batch 5000] [--concurrency 1] [--in-process] [--embedded]
 *   [--worker-node-options '<Node flags for the worker processes only>']`
 *
 * A campaign launch over a large audience: a fresh database, and for every size × worker count a
 * storefront of its own with `--customers` accounts and one campaign due now. Its jobs (launch, the
 * audience plan, then every chunk job it queues) are claimed by `--workers` loops as graphile-worker
 * claims them (`for update skip locked`), each handler inside a SQL counter. Each worker is a process of
 * its own holding a whole stack (as production runs job workers: one Node process cannot use a second
 * core), started before the clock starts; `--in-process` runs them all in this process instead. Reports
 * wall time, CPU of every process but PostgreSQL's (per account too: steadier than wall time on a busy
 * machine), jobs, SQL statements (per job, too), peak RSS of the largest process and checks the end
 * state: one offer, one inbox message and one notification per account. `--batch` is the accounts per
 * chunk job; `--concurrency` the jobs each worker runs at once (graphile-worker's `concurrency`: the
 * promotion subgraph runs 2). `--sql-time` (with `--in-process`) adds the time spent in each kind of statement (its
 * first words), to see which chunk stage PostgreSQL spends the time on.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { newId, sqlCounter } from '@dcrm/kit';
import { AbstractSqlConnection, Kysely } from '@mikro-orm/postgresql';
import { provision } from '../stack/src/provision.js';
import { startStack } from '../stack/src/stack.js';
import { audienceRules } from '../subgraphs/promotion/src/entities/index.js';
import { freshDatabase } from './database.js';
import { processCpu } from './decisioning-cpu.js';
import { freePort } from './processes.js';

process.env.DCRM_JOBS = 'off';
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const sizes = (option('--customers') ?? '100000').split(',').map(Number);
const workerCounts = (option('--workers') ?? '1').split(',').map(Number);
const batch = Number(option('--batch') ?? 5_000);
const concurrency = Number(option('--concurrency') ?? 1);
const sqlTime = args.includes('--sql-time');
const inProcess = args.includes('--in-process') || sqlTime;
// Node flags for the worker processes only (`--cpu-prof --cpu-prof-dir=…` to profile a chunk's CPU).
const workerNodeOptions = option('--worker-node-options')?.split(/\s+/).filter(Boolean) ?? [];
const started = Date.now();
const log = (line: string) => console.log(`[campaign ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);

// Statement kind → total ms and count, when `--sql-time` wraps every statement of every subgraph.
const sqlKinds = new Map<string, { ms: number; count: number }>();
const timeKind = (query: unknown, t: number) => {
  const kind = (typeof query === 'string' ? query : '(builder)').replace(/\s+/g, ' ').slice(0, 90);
  const entry = sqlKinds.get(kind) ?? { ms: 0, count: 0 };
  entry.ms += performance.now() - t;
  entry.count += 1;
  sqlKinds.set(kind, entry);
};
if (sqlTime) {
  const execute = AbstractSqlConnection.prototype.execute;
  AbstractSqlConnection.prototype.execute = async function (this: AbstractSqlConnection, ...rest: Parameters<typeof execute>) {
    const t = performance.now();
    try {
      return await execute.apply(this, rest);
    } finally {
      timeKind(rest[0], t);
    }
  } as typeof execute;
  // Statements bound server-side (kit `executeBound`: numbered parameters) go straight to the query builder's client.
  const executeQuery = Kysely.prototype.executeQuery;
  Kysely.prototype.executeQuery = async function (this: Kysely<unknown>, ...rest: Parameters<typeof executeQuery>) {
    const t = performance.now();
    try {
      return await executeQuery.apply(this, rest);
    } finally {
      const compiled = rest[0] as { sql?: string; parameters?: readonly unknown[] };
      if (compiled.parameters?.length && compiled.sql?.includes('$1')) timeKind(compiled.sql, t);
    }
  } as typeof executeQuery;
}

type Ran = { statements: number; ms: number };
type ToWorker = { id: number; identifier: string; payload: unknown } | { stop: true };
type FromWorker = { ready: true } | ({ id: number } & Ran) | { cpuMicros: number; peakRss: number };

/** A handler's run inside a statement counter (one count per job: the handler's own async context). */
async function timed(call: () => Promise<unknown>): Promise<Ran> {
  const t = performance.now();
  const { statements } = await sqlCounter.run(call);
  return { statements, ms: performance.now() - t };
}

// A worker process: its own stack on the bench's database, running the jobs the parent claims for it.
if (args.includes('--worker-process')) {
  const stack = await startStack({ databaseUrl: option('--database') as string, seed: false });
  const promotion = stack.subgraphs.find((s) => s.definition.name === 'promotion');
  if (!promotion) throw new Error('no promotion subgraph');
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const send = (message: FromWorker) => process.send?.(message);
  let cpu0 = process.cpuUsage();
  process.on('message', async (message: ToWorker | 'go') => {
    if (message === 'go') {
      cpu0 = process.cpuUsage();
      return;
    }
    if ('stop' in message) {
      clearInterval(sampler);
      const cpu = process.cpuUsage(cpu0);
      send({ cpuMicros: cpu.user + cpu.system, peakRss });
      await stack.stop();
      process.exit(0);
    }
    const handler = promotion.server.tasks[message.identifier] as (payload: unknown) => Promise<unknown>;
    send({ id: message.id, ...(await timed(() => handler(message.payload))) });
  });
  send({ ready: true });
  await new Promise(() => {});
}

/** Starts a worker process and resolves once its stack is up; `run` hands it one job. */
async function workerProcess(databaseUrl: string) {
  // With the runtime flag `stack/bin/dcrm` gives every production process.
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--worker-process', '--database', databaseUrl], {
    stdio: 'inherit',
    execArgv: [...process.execArgv, '--experimental-async-context-frame', ...workerNodeOptions],
  });
  const waiting = new Map<number, (ran: Ran) => void>();
  let last: ((m: { cpuMicros: number; peakRss: number }) => void) | null = null;
  let next = 0;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker process exited (${code})`)));
    child.on('message', (message: FromWorker) => {
      if ('ready' in message) resolve();
      else if ('id' in message) waiting.get(message.id)?.(message);
      else last?.(message);
    });
  });
  await ready;
  return {
    go: () => child.send('go'),
    run: (identifier: string, payload: unknown) =>
      new Promise<Ran>((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        child.send({ id, identifier, payload } satisfies ToWorker);
      }),
    stop: () =>
      new Promise<{ cpuMicros: number; peakRss: number }>((resolve) => {
        last = resolve;
        child.send({ stop: true } satisfies ToWorker);
      }),
  };
}

const serverUrl = args.includes('--embedded') ? undefined : process.env.DATABASE_URL;
const database = await freshDatabase(serverUrl, serverUrl ? 0 : await freePort(), log);
try {
  await provision(database.url, { seed: false, log });
  const stack = await startStack({ databaseUrl: database.url, seed: false });
  try {
    const promotion = stack.subgraphs.find((s) => s.definition.name === 'promotion');
    if (!promotion) throw new Error('no promotion subgraph');
    const sql = (query: string, params: unknown[] = []) => promotion.orm.em.fork().getConnection().execute(query, params);
    const task = (name: string, payload: unknown) => (promotion.server.tasks[name] as (payload: unknown) => Promise<unknown>)(payload);

    const results: { customers: number; workers: number; wallSeconds: number; accountsPerSecond: number; ok: boolean }[] = [];
    for (const customers of sizes)
      for (const workers of workerCounts) {
        const storefrontId = randomUUID();
        await sql(
          `insert into "customer"."customer" (id, storefront_id, type, name, email, status, category, segment, lifecycle_stage, consents,
           notification_preferences, created_at, updated_at)
         select gen_random_uuid(), ?, 'INDIVIDUAL', 'Customer ' || n, 'c' || n || '@bench.example', 'ACTIVE', 'CONSUMER', 'mass', 'ACTIVE',
           '[{"channel": "EMAIL", "granted": true, "updatedAt": "2026-01-01T00:00:00Z"}]', '[]', now(), now()
         from generate_series(1, ?) n`,
          [storefrontId, customers],
        );
        await sql('analyze "customer"."customer"');
        const campaignId = newId();
        const audience = audienceRules({ segments: ['mass'] });
        await sql(
          `insert into "promotion"."campaign" (id, storefront_id, name, objective, status, priority, channels, audience, template, starts_at, ends_at, created_at, updated_at)
         values (?, ?, 'Bench', 'RETENTION', 'SCHEDULED', 50, '["WEB"]', ?::jsonb, ?::jsonb, now() - interval '1 minute', now() + interval '7 days', now(), now())`,
          [campaignId, storefrontId, JSON.stringify(audience), JSON.stringify({ title: 'Hi {{name}}', message: 'An offer for {{name}}' })],
        );
        log(
          `${customers} accounts in storefront ${storefrontId}; launching with chunks of ${batch}, ${workers} worker(s) × ${concurrency} job(s) at once`,
        );

        let peakRss = process.memoryUsage().rss;
        const sampler = setInterval(() => {
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
        }, 20);
        const jobs: Record<string, { count: number; statements: number; ms: number; maxStatements: number }> = {};
        // Worker processes (each with its stack) are up before the clock starts; in-process, every worker runs here.
        const processes = inProcess ? [] : await Promise.all(Array.from({ length: workers }, () => workerProcess(database.url)));
        const run = async (worker: number, identifier: string, payload: unknown) => {
          const ran = inProcess ? await timed(() => task(identifier, payload)) : await processes[worker].run(identifier, payload);
          const entry = (jobs[identifier] ??= { count: 0, statements: 0, ms: 0, maxStatements: 0 });
          entry.count += 1;
          entry.statements += ran.statements;
          entry.maxStatements = Math.max(entry.maxStatements, ran.statements);
          entry.ms += ran.ms;
        };
        sqlKinds.clear();
        // PostgreSQL's CPU: its backends on this database (their `/proc` times), sampled each second so one
        // that closes keeps what it used; one that opens counts from its start. Steadier than the statements' wall time.
        const backends = new Map<number, { from: number; last: number }>();
        const samplePg = async (first = false) => {
          const pids = (await sql('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')) as {
            pid: number;
          }[];
          for (const { pid } of pids) {
            const seconds = processCpu(pid);
            if (seconds === null) continue;
            const seen = backends.get(pid);
            if (seen) seen.last = seconds;
            else backends.set(pid, { from: first ? seconds : 0, last: seconds });
          }
        };
        await samplePg(true);
        const pgSampler = setInterval(() => void samplePg(), 1000);
        for (const p of processes) p.go();
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await run(0, 'promotion:campaign-launch', { campaignId, batchSize: batch });
        // A worker: claims the next job (skipping those another worker holds), runs it, until none is left
        // and no other worker is still running one (which may queue more).
        let busy = 0;
        const worker = async (index: number) => {
          for (;;) {
            const [job] = (await sql(
              `delete from graphile_worker._private_jobs where id = (
               select j.id from graphile_worker._private_jobs j where j.payload->>'campaignId' = ? order by j.id limit 1 for update skip locked)
             returning id, (select identifier from graphile_worker._private_tasks t where t.id = task_id) as identifier, payload`,
              [campaignId],
            )) as { id: string; identifier: string; payload: unknown }[];
            if (!job) {
              if (busy === 0) return;
              await new Promise((resolve) => setTimeout(resolve, 20));
              continue;
            }
            busy += 1;
            try {
              await run(index, job.identifier, job.payload);
            } finally {
              busy -= 1;
            }
          }
        };
        await Promise.all(Array.from({ length: workers * concurrency }, (_, i) => worker(i % workers)));
        const wallMs = performance.now() - t0;
        const own = process.cpuUsage(cpu0);
        clearInterval(sampler);
        clearInterval(pgSampler);
        await samplePg();
        const pgCpu = [...backends.values()].reduce((n, b) => n + b.last - b.from, 0);
        const children = await Promise.all(processes.map((p) => p.stop()));
        const cpu = { user: own.user + own.system + children.reduce((n, c) => n + c.cpuMicros, 0), system: 0 };
        peakRss = Math.max(peakRss, ...children.map((c) => c.peakRss));

        const [state] = await sql(
          `select c.status, c.notified, (select count(*)::int from "promotion"."offer" o where o.campaign_id = c.id) as offers
         from "promotion"."campaign" c where c.id = ?`,
          [campaignId],
        );
        const [{ n: messages }] = await sql(
          `select count(*)::int as n from "customer"."site_message" m join "customer"."customer" c on c.id = m.customer_id where c.storefront_id = ?`,
          [storefrontId],
        );
        const ok = state.offers === customers && state.notified === customers && messages === customers;
        const statements = Object.values(jobs).reduce((n, j) => n + j.statements, 0);
        const report = {
          customers,
          workers,
          batch,
          concurrency,
          workerProcesses: !inProcess,
          database: database.kind,
          wallSeconds: Number((wallMs / 1000).toFixed(2)),
          accountsPerSecond: Math.round(customers / (wallMs / 1000)),
          // CPU of this process and the worker processes (the whole stack but PostgreSQL): steadier than wall time on a loaded machine.
          cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
          cpuMicrosPerAccount: Math.round((cpu.user + cpu.system) / customers),
          // PostgreSQL's backends on this database (WAL writer and checkpointer, shared by every database, left out).
          pgCpuSeconds: Number(pgCpu.toFixed(2)),
          pgCpuMicrosPerAccount: Math.round((pgCpu * 1e6) / customers),
          statements,
          jobs: Object.fromEntries(
            Object.entries(jobs).map(([name, j]) => [
              name,
              {
                runs: j.count,
                statements: j.statements,
                maxStatementsPerRun: j.maxStatements,
                msPerRun: Number((j.ms / j.count).toFixed(1)),
              },
            ]),
          ),
          peakRssMb: Math.round(peakRss / 2 ** 20),
          ...(sqlTime
            ? {
                sqlMsByKind: Object.fromEntries(
                  [...sqlKinds]
                    .sort((a, b) => b[1].ms - a[1].ms)
                    .slice(0, 15)
                    .map(([kind, e]) => [kind, { count: e.count, ms: Math.round(e.ms) }]),
                ),
              }
            : {}),
          end: { status: state.status, offers: state.offers, notified: state.notified, inboxMessages: messages },
          ok,
        };
        console.log(JSON.stringify(report, null, 2));
        if (!ok) process.exitCode = 1;
        results.push({ customers, workers, wallSeconds: report.wallSeconds, accountsPerSecond: report.accountsPerSecond, ok });
      }
    if (results.length > 1)
      console.log(
        JSON.stringify(
          results.map((r) => r),
          null,
          2,
        ),
      );
  } finally {
    await stack.stop();
  }
} finally {
  await database.drop();
}
