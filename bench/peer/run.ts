/**
 * `pnpm bench:peer [--scale 1500] [--connections 10] [--warmup 3] [--duration 10] [--ops listing,search] [--keep | --reuse]`
 *
 * dcrm beside Vendure 3 (README, "Against a peer"): both on the local PostgreSQL (DATABASE_URL's server, scratch
 * databases peer_dcrm and peer_vendure, dropped at the end unless --keep; --reuse serves a kept pair again),
 * the same Volt catalogue. One interleaved run: per operation dcrm then Vendure, then Vendure then dcrm, each a warm-up then a measured run
 * at a fixed concurrency; every answer checked before and after. Reports req/s, p50/p99 and CPU per request
 * of each server and of its PostgreSQL backends (from /proc), whose ratio moves far less with the machine's
 * load than req/s. Exits non-zero when any answer was wrong or any request failed; never because of speed.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { backendsOf } from '../backends.js';
import { measure, probe, type Target } from '../load.js';
import { canonical, STOREFRONT_KEY } from '../operations.js';
import { killAllNow, stopAll } from '../processes.js';
import { writeResults } from '../report.js';
import { DETAIL_SLUG, PEER_OPERATIONS, type Side } from './operations.js';
import { type Peered, peerMarkdown, type Round } from './report.js';
import { dropScratch, ensureVendureInstalled, type Server, startDcrm, startVendure } from './servers.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error('DATABASE_URL (a PostgreSQL server the bench may create databases on) is required');
const scale = Number(option('--scale', '1500'));
const load = {
  connections: Number(option('--connections', '10')),
  warmupSeconds: Number(option('--warmup', '3')),
  seconds: Number(option('--duration', '10')),
};
const only = option('--ops', '').split(',').filter(Boolean);
const unknown = only.filter((name) => !PEER_OPERATIONS.some((op) => op.name === name));
if (unknown.length) throw new Error(`--ops: unknown ${unknown.join(', ')} (known: ${PEER_OPERATIONS.map((op) => op.name).join(', ')})`);
const operations = only.length ? PEER_OPERATIONS.filter((op) => only.includes(op.name)) : PEER_OPERATIONS;
const DATABASES = { dcrm: 'peer_dcrm', vendure: 'peer_vendure' } as const;
const log = (line: string) => console.log(`[peer] ${line}`);
// --keep leaves both databases; --reuse serves what a --keep run left instead of seeding and importing again.
const keep = args.includes('--keep') || args.includes('--reuse');
const reuse = args.includes('--reuse');
const servers: Server[] = [];

type Check = { server: Server; side: Side };

/** The answer, checked: no errors, nothing missing (`problem`); returns its canonical form to compare before/after. */
async function checked({ server, side }: Check, target: Target): Promise<{ canonical: string; summary: string }> {
  const { data } = await probe(target);
  const problem = side.problem(data);
  if (problem) throw new Error(`${server.name} answered wrongly (${problem}): ${JSON.stringify(data).slice(0, 500)}`);
  return { canonical: canonical(data), summary: side.summary(data) };
}

async function round(check: Check): Promise<Round> {
  const { server, side } = check;
  const db: { backends?: Awaited<ReturnType<typeof backendsOf>> } = {};
  const headers: Record<string, string> = server.name === 'dcrm' ? { 'x-api-key': STOREFRONT_KEY } : {};
  const target: Target = {
    url: server.url,
    body: JSON.stringify({ query: side.query, variables: side.variables }),
    headers: () => headers,
    cpu: server.cpu,
    // After the warm-up the pools are full: their backends are the ones this run's SQL runs on.
    beforeRun: async () => void (db.backends = await backendsOf(adminUrl as string, server.database)),
  };
  const before = await checked(check, target);
  const load1 = loadavg()[0];
  const m = await measure(target, load);
  const dbCpu = db.backends?.cpuSince() ?? null;
  const after = await checked(check, target);
  if (after.canonical !== before.canonical) throw new Error(`${server.name}'s answer changed during the run`);
  if (m.errors.total > 0) throw new Error(`${server.name}: ${m.errors.total} failed requests: ${m.errors.samples.join(' | ')}`);
  return {
    server: server.name,
    rps: m.rps,
    p50: m.p50,
    p99: m.p99,
    requests: m.requests,
    cpuUs: m.cpuUsPerRequest,
    dbCpuUs: dbCpu === null || m.requests === 0 ? null : dbCpu / m.requests,
    backends: db.backends?.count ?? 0,
    summary: before.summary,
    load: [load1, loadavg()[0]],
  };
}

async function main(): Promise<void> {
  ensureVendureInstalled(log);
  let dcrm = await startDcrm(adminUrl as string, DATABASES.dcrm, scale, reuse, log);
  const vendure = await startVendure(adminUrl as string, DATABASES.vendure, dcrm, reuse, log);
  if (!reuse) {
    // dcrm served the export; after the minutes of Vendure's import it starts again, fresh like Vendure's server.
    await dcrm.child.stop();
    dcrm = await startDcrm(adminUrl as string, DATABASES.dcrm, scale, true, log);
  }
  servers.push(dcrm, vendure);
  const ids = await vendureIds(vendure);
  const results: Peered[] = [];
  for (const op of operations) {
    const a: Check = { server: dcrm, side: op.dcrm };
    const b: Check = { server: vendure, side: op.vendure(ids) };
    // A then B, then B then A: a drift of the machine's load over the pair weighs on both sides alike.
    const rounds = [await round(a), await round(b), await round(b), await round(a)];
    results.push({ operation: op.name, title: op.title, rounds });
    log(`${op.title}: ${rounds.map((r) => `${r.server} ${r.rps.toFixed(0)}/s`).join(', ')}`);
  }
  const table = peerMarkdown(results);
  console.log(`\n${table}`);
  const file = writeResults(resolve(import.meta.dirname, '..', 'results'), { kind: 'peer', scale, load, results, table });
  log(`results: ${file}`);
}

/** Vendure's own id of the product the by-id operation reads (dcrm's is its seeded id). */
async function vendureIds(vendure: Server): Promise<{ productId: string }> {
  const { data } = await probe({
    url: vendure.url,
    body: JSON.stringify({ query: 'query($slug: String!) { product(slug: $slug) { id } }', variables: { slug: DETAIL_SLUG } }),
    headers: () => ({}),
  });
  const product = data.product as { id: string } | null;
  if (!product) throw new Error(`Vendure has no product ${DETAIL_SLUG}`);
  return { productId: product.id };
}

let failed = false;
process.once('SIGINT', () => {
  killAllNow();
  process.exit(130);
});
try {
  await main();
} catch (error) {
  failed = true;
  console.error(error);
  // A server that died says why.
  for (const { child } of servers)
    if (child.process.exitCode !== null || child.process.signalCode !== null)
      console.error(`${child.name} exited (${child.process.exitCode ?? child.process.signalCode}):\n${child.output.join('').slice(-3000)}`);
} finally {
  await stopAll();
  if (!keep) await dropScratch(adminUrl, Object.values(DATABASES));
}
process.exit(failed ? 1 : 0);
