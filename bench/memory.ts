/**
 * `pnpm bench:memory [--node-options '<flags>'] [--idle 10] [--sustained 30] [--connections 16]`: the
 * resident memory of each process of the compiled build (`pnpm build` first), started as in production
 * (`stack/bin/serve <process>`, NODE_ENV=production), on a freshly seeded database: after start, after a
 * few requests of every bench operation through the router (storefront key or the demo manager), the peak and the last sample (once a second) while
 * `--connections` clients keep every bench operation going through the router for `--sustained`
 * seconds, and after `--idle` seconds of nothing. Prints a Markdown table (MiB).
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { SUBGRAPHS } from '../stack/src/subgraphs.js';
import { freshDatabase, migrateAndSeed } from './database.js';
import { OPERATIONS, STOREFRONT_KEY } from './operations.js';
import { benchEnv, type Child, freePort, startCommand, stopAll, UNLIMITED_COST_BUDGET, waitReady } from './processes.js';
import { staffSession } from './staff.js';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const nodeOptions = option('--node-options');
const idleSeconds = Number(option('--idle') ?? 10);
const sustainedSeconds = Number(option('--sustained') ?? 30);
const connections = Number(option('--connections') ?? 16);
const log = (line: string) => console.error(`[memory] ${line}`);

if (!existsSync('stack/dist/src/cli/dcrm.js')) throw new Error('no compiled build: run `pnpm build` first');

/** VmRSS of the process and its children (bin/serve execs Node, so normally just the one), in MiB. */
function rss(pid: number): number {
  const kib = (p: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return Math.round((kib(pid) + children.reduce((sum, p) => sum + kib(p), 0)) / 1024);
}

const database = await freshDatabase(process.env.DATABASE_URL, 54_700, log);
try {
  await migrateAndSeed(database.url, 0, log);
  const names = SUBGRAPHS.map((definition) => definition.name);
  const ports = new Map<string, number>();
  for (const name of [...names, 'router']) ports.set(name, await freePort());
  const local = (name: string, path: string) => `http://127.0.0.1:${ports.get(name)}${path}`;
  const env: NodeJS.ProcessEnv = {
    ...benchEnv(database.url),
    DCRM_MIGRATE: 'false',
    ...UNLIMITED_COST_BUDGET,
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  };
  for (const name of names) env[`${name.toUpperCase()}_URL`] = local(name, '/graphql');
  const children: Child[] = [...ports].map(([name, port]) => startCommand(name, 'stack/bin/serve', [name], { ...env, PORT: String(port) }));
  await Promise.all(children.map((child) => waitReady(child, local(child.name, '/readyz'))));
  const started = children.map((c) => rss(c.process.pid as number));
  // Each operation as its client sends it: the storefront key, or the demo manager signed in.
  const staff = await staffSession(local('router', '/graphql'), env.DCRM_JWT_SECRET as string);
  staff.stop();
  const headersOf = (op: (typeof OPERATIONS)[number]) => ({
    'content-type': 'application/json',
    ...(op.auth === 'staff' ? staff.headers() : { 'x-api-key': STOREFRONT_KEY }),
  });
  // A few of every bench operation through the router (each subgraph gets some).
  for (let round = 0; round < 5; round++) {
    for (const op of OPERATIONS) {
      const res = await fetch(local('router', '/graphql'), {
        method: 'POST',
        headers: headersOf(op),
        body: JSON.stringify({ query: op.query, variables: op.variables }),
      });
      if (!res.ok) throw new Error(`${op.name}: ${res.status} ${await res.text()}`);
    }
  }
  const busy = children.map((c) => rss(c.process.pid as number));
  // Sustained load: every operation in turn on each connection, RSS sampled once a second.
  const peak = [...busy];
  let last = [...busy];
  const sampler = setInterval(() => {
    last = children.map((c) => rss(c.process.pid as number));
    for (const [i, mib] of last.entries()) peak[i] = Math.max(peak[i], mib);
  }, 1000);
  const load = await autocannon({
    url: local('router', '/graphql'),
    connections,
    duration: sustainedSeconds,
    requests: OPERATIONS.map((op) => ({
      method: 'POST',
      headers: headersOf(op),
      body: JSON.stringify({ query: op.query, variables: op.variables }),
    })),
  });
  clearInterval(sampler);
  const failed = load.non2xx + load.errors;
  log(`sustained: ${load.requests.total} requests in ${sustainedSeconds} s, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} requests failed under load: the figures would not be of a working API`);
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const idle = children.map((c) => rss(c.process.pid as number));
  console.log(`NODE_OPTIONS=${nodeOptions ?? '(none)'}, load ${loadavg()[0].toFixed(1)}; RSS MiB`);
  const under = `${connections} clients for ${sustainedSeconds} s (${load.requests.total} requests)`;
  console.log(
    `\n| process | started | after ${OPERATIONS.length * 5} requests | peak, ${under} | end of load | idle ${idleSeconds} s later |\n| --- | --- | --- | --- | --- | --- |`,
  );
  for (const [i, c] of children.entries()) console.log(`| ${c.name} | ${started[i]} | ${busy[i]} | ${peak[i]} | ${last[i]} | ${idle[i]} |`);
} finally {
  await stopAll();
  await database.drop();
}
