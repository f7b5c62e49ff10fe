/**
 * `pnpm bench --decisioning [--quick] [--subscribers 1000000] [--rate 10000] [--warmup 10] [--duration 20]
 *   [--consumers 1,2] [--skew 0.6] [--identity msisdn|account] [--cold-profiles] [--cpu-prof]
 *   [--consumer-node-options '<Node flags for the promotion consumers only>'] [--customer-node-options '<… for the customer subgraph>']`
 *
 * Real-time event decisioning under a realistic stream: a fresh database with `--subscribers` accounts
 * of one brand (set-based SQL) and a rule set, the customer subgraph, then for each consumer count a
 * fresh set of promotion processes (real processes, one consumer group) while this process XADDs
 * events at `--rate` (type mix and Zipf-skewed customers: decisioning-events.ts). After `--warmup`
 * (profile caches fill; the subscribers' profiles are warmed into Redis first, as `dcrm warm-profiles` does,
 * unless `--cold-profiles`: then each is fetched from the customer subgraph when first seen), reads each consumer's /metrics over `--duration`: events decided per second,
 * and p50/p99 from the entry's append (its stream id time) to its decision recorded
 * (`dcrm_decisioning_stream_lag_seconds`, interpolated in its buckets), p99 to an ACTION decision carried
 * out (`dcrm_decisioning_stream_delivered_seconds`), plus the backlog left.
 * Needs REDIS_URL. Not part of `pnpm bench --quick` in CI (a Redis-bound throughput run).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { databaseNamespaceOfUrl, hotProfileKey, seedId } from '@dcrm/kit';
import { Redis } from 'ioredis';
import { provision } from '../stack/src/provision.js';
import { type BenchDatabase, freshDatabase } from './database.js';
import { CPU_PARTIES, type CpuParty, cpuMeter, cpuPerEvent } from './decisioning-cpu.js';
import { generator, produce } from './decisioning-events.js';
import { accountIds, commonEnv, seedSubscribers, startConsumers, startCustomer, warmProfiles } from './decisioning-setup.js';
import { stopAll } from './processes.js';
import { formatHottest, pickProfile } from './profile-top.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const quick = args.includes('--quick');
const subscribers = Number(option('--subscribers') ?? (quick ? 10_000 : 1_000_000));
const rate = Number(option('--rate') ?? (quick ? 500 : 10_000));
const warmup = Number(option('--warmup') ?? (quick ? 2 : 10));
const duration = Number(option('--duration') ?? (quick ? 3 : 20));
const consumerCounts = (option('--consumers') ?? (quick ? '1' : '1,2')).split(',').map(Number);
const skew = Number(option('--skew') ?? 0.6);
const identity = option('--identity') ?? 'msisdn';
const coldProfiles = args.includes('--cold-profiles');
const profileDir = args.includes('--cpu-prof') ? resolve('bench/results/profiles') : undefined;
const consumerNodeOptions = option('--consumer-node-options');
const customerNodeOptions = option('--customer-node-options');
const VOLT = seedId('storefront', 'volt');

const started = Date.now();
const log = (line: string) => console.log(`[decisioning ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}`);

type Histogram = { buckets: Map<number, number>; count: number };
/** Accepted and other events; `lag` append → decision recorded, `delivered` append → ACTION carried out. */
type Scrape = { accepted: number; other: number; lag: Histogram; delivered: Histogram };
const HISTOGRAMS = { lag: 'dcrm_decisioning_stream_lag_seconds', delivered: 'dcrm_decisioning_stream_delivered_seconds' } as const;

/** The consumers' decisioning series, summed over processes. */
async function scrape(urls: string[]): Promise<Scrape> {
  const total: Scrape = { accepted: 0, other: 0, lag: { buckets: new Map(), count: 0 }, delivered: { buckets: new Map(), count: 0 } };
  for (const url of urls) {
    const text = await (await fetch(url)).text();
    for (const line of text.split('\n')) {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (line.startsWith('dcrm_decisioning_events_total{') && line.includes('path="STREAM"')) {
        if (line.includes('status="ACCEPTED"')) total.accepted += value;
        else total.other += value;
        continue;
      }
      for (const [key, name] of Object.entries(HISTOGRAMS) as [keyof typeof HISTOGRAMS, string][]) {
        const h = total[key];
        if (line.startsWith(`${name}_bucket{`)) {
          const le = line.match(/le="([^"]+)"/)?.[1] ?? '+Inf';
          const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
          h.buckets.set(bound, (h.buckets.get(bound) ?? 0) + value);
        } else if (line.startsWith(`${name}_count`)) h.count += value;
      }
    }
  }
  return total;
}

/** The q-quantile (ms) of the observations between two scrapes, linear within its bucket. */
function quantile(before: Histogram, after: Histogram, q: number): number {
  const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
  const count = after.count - before.count;
  if (count === 0) return Number.NaN;
  const target = q * count;
  let lower = 0;
  let below = 0;
  for (const bound of bounds) {
    const cumulative = (after.buckets.get(bound) ?? 0) - (before.buckets.get(bound) ?? 0);
    if (cumulative >= target) {
      if (!Number.isFinite(bound)) return lower * 1000;
      const share = cumulative === below ? 0 : (target - below) / (cumulative - below);
      return (lower + (bound - lower) * share) * 1000;
    }
    lower = bound;
    below = cumulative;
  }
  return lower * 1000;
}

type Row = {
  consumers: number;
  target: number;
  appended: number;
  decided: number;
  p50: number;
  p99: number;
  /** p99 (ms) from append to an ACTION decision carried out (offer written and published, notification handed over). */
  deliveredP99: number;
  backlog: number;
  other: number;
  /** CPU µs per event decided, per process (the producer's per event appended), and their sum; null where /proc is not readable. */
  cpuUs: Record<CpuParty | 'total', number> | null;
  /** Events/s the machine's cores could decide at that CPU cost: cores × 10⁶ ÷ total µs per event. */
  capacity: number | null;
  load: number;
};

/** Deletes every hot profile of this database namespace (SCAN in pages, UNLINK each page). */
async function dropProfiles(redis: Redis, namespace: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${hotProfileKey(namespace, '')}*`, 'COUNT', 10_000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

const state: { database: BenchDatabase | null } = { database: null };
async function main(): Promise<number> {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    console.error('[decisioning] REDIS_URL is not set: the event stream lives in Redis');
    return 1;
  }
  const serverUrl = args.includes('--embedded') ? undefined : process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is not set');
  const database = await freshDatabase(serverUrl, 0, log);
  state.database = database;
  await provision(database.url, { seed: true, scale: 0, log: () => {} });
  log('schema and demo brand ready');
  await seedSubscribers(database.url, VOLT, subscribers);
  log(`${subscribers} subscribers and 6 decision rules seeded`);
  if (!coldProfiles) log(`${await warmProfiles(database.url, redisUrl)} profiles warmed into Redis`);
  const accounts = identity === 'account' ? await accountIds(database.url, VOLT) : undefined;
  const env = commonEnv(database.url, redisUrl);
  const customer = await startCustomer(env, customerNodeOptions);
  env.CUSTOMER_URL = customer.url;
  log('customer subgraph ready');
  const redis = new Redis(redisUrl);
  const rows: Row[] = [];
  let profileFrom: number | undefined;
  try {
    for (const count of consumerCounts) {
      const stream = `dcrm.bench.events.${Date.now()}`;
      const consumers = await startConsumers(count, env, stream, profileDir, consumerNodeOptions);
      log(`${count} promotion consumer(s) on ${stream}`);
      const events = generator({ storefrontId: VOLT, producer: `bench-${Date.now()}`, subscribers, skew, seed: 42, accounts });
      await produce(redis, stream, events, rate, warmup);
      const meter = cpuMeter({
        redis,
        databaseUrl: database.url,
        consumers: () => consumers.children.map((c) => c.process.pid),
        customer: customer.child.process.pid,
      });
      const cpuBefore = await meter.sample();
      const before = await scrape(consumers.metricsUrls);
      // The profile is read from the first measured second: start-up and cold caches would drown the hot path.
      profileFrom ??= Number(process.hrtime.bigint() / 1000n);
      const t0 = performance.now();
      const appended = await produce(redis, stream, events, rate, duration);
      const after = await scrape(consumers.metricsUrls);
      const cpuAfter = await meter.sample();
      await meter.close();
      const seconds = (performance.now() - t0) / 1000;
      const groups = (await redis.xinfo('GROUPS', stream)) as (string | number)[][];
      const lagAt = groups[0]?.indexOf('lag') ?? -1;
      const backlog = lagAt >= 0 ? Number(groups[0][lagAt + 1]) : Number.NaN;
      const row: Row = {
        consumers: count,
        target: rate,
        appended: appended / seconds,
        decided: (after.accepted - before.accepted) / seconds,
        p50: quantile(before.lag, after.lag, 0.5),
        p99: quantile(before.lag, after.lag, 0.99),
        deliveredP99: quantile(before.delivered, after.delivered, 0.99),
        backlog,
        other: after.other - before.other,
        cpuUs: cpuPerEvent(cpuBefore, cpuAfter, { decided: after.accepted - before.accepted, appended }),
        capacity: null,
        load: loadavg()[0],
      };
      if (row.cpuUs) row.capacity = (cpus().length * 1e6) / row.cpuUs.total;
      rows.push(row);
      log(
        `${count} consumer(s): appended ${row.appended.toFixed(0)}/s, decided ${row.decided.toFixed(0)}/s, p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, delivered p99 ${row.deliveredP99.toFixed(1)} ms, load ${row.load.toFixed(1)}, backlog ${backlog}, not accepted ${row.other}`,
      );
      if (row.cpuUs)
        log(
          `${count} consumer(s): CPU µs per event ${CPU_PARTIES.map((p) => `${p} ${row.cpuUs?.[p].toFixed(0)}`).join(', ')}, total ${row.cpuUs.total.toFixed(0)}: ${cpus().length} cores decide at most ${row.capacity?.toFixed(0)} events/s`,
        );
      // Nothing decided: what the consumers said is the diagnosis.
      if (row.decided === 0)
        for (const c of [...consumers.children, customer.child]) console.error(`[${c.name}]\n${c.output.join('').slice(-3000)}`);
      await consumers.stop();
      await redis.del(stream);
    }
  } finally {
    // The fresh database's profiles go with it (the shared Redis would keep them a day).
    await dropProfiles(redis, databaseNamespaceOfUrl(database.url)).catch(() => {});
    redis.disconnect();
    await stopAll();
  }
  console.log(
    '\n| consumers | target ev/s | appended ev/s | decided ev/s | p50 ms | p99 ms | delivered p99 ms | backlog at end | not accepted |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.consumers} | ${r.target} | ${r.appended.toFixed(0)} | ${r.decided.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.deliveredP99.toFixed(1)} | ${r.backlog} | ${r.other} |`,
    );
  // Time on CPU per event: what the code costs, whatever else the machine runs; the capacity follows from it.
  console.log(`\n| consumers | load | CPU µs/event: ${CPU_PARTIES.join(' | ')} | total | capacity of ${cpus().length} cores, ev/s |`);
  console.log(`| --- | --- | ${CPU_PARTIES.map(() => '---').join(' | ')} | --- | --- |`);
  for (const r of rows) {
    const cells = r.cpuUs
      ? [...CPU_PARTIES, 'total' as const].map((p) => r.cpuUs?.[p].toFixed(0))
      : [...CPU_PARTIES, 'total'].map(() => 'n/a');
    console.log(`| ${r.consumers} | ${r.load.toFixed(1)} | ${cells.join(' | ')} | ${r.capacity?.toFixed(0) ?? 'n/a'} |`);
  }
  if (profileDir) console.log(`\n${formatHottest(pickProfile(profileDir, started), 25, profileFrom)}`);
  const file = resolve('bench/results', `decisioning-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: new Date(started).toISOString(),
        quick,
        subscribers,
        rate,
        warmup,
        duration,
        skew,
        identity,
        machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
        rows,
      },
      null,
      2,
    )}\n`,
  );
  log(`results in ${file}`);
  return rows.some((r) => r.other > 0) ? 1 : 0;
}

const code = await main().catch((error: Error) => {
  console.error(`[decisioning] failed: ${error.stack ?? error.message}`);
  return 1;
});
await stopAll();
await state.database?.drop().catch(() => {});
process.exit(code);
