/**
 * `pnpm exec tsx bench/router-cpu.ts [--requests 3000] [--rounds 5] [--concurrency 8] [--warmup 2000] [--only fast|apollo]` — the router's own
 * CPU per request for the storefront listing and detail, with its fast path (router/src/fast-path.ts)
 * and without it, side by side in one process. CPU time (`process.cpuUsage`, every thread: GC included),
 * not wall time: other load on the machine barely moves it, and rounds alternate so what it does move
 * weighs on both alike. Requests go straight into the router's handler (no HTTP client in the process);
 * the catalog is a child process answering listing- and detail-shaped data over HTTP, so the principal's
 * signature, the HTTP client and the cost buckets (Redis when REDIS_URL is set) are the router's as in
 * production. Request log lines are formatted and dropped (no write).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { setLogDestination } from '@dcrm/kit/logger.js';
import { internalSecret } from '@dcrm/kit/principal.js';
import { httpTarget, type SubgraphTarget } from '@dcrm/kit/targets.js';
import { createRouter, type Router } from '@dcrm/router/router.js';
import { loadSupergraph } from '@dcrm/schema';
import { OPERATIONS, STOREFRONT_KEY } from './operations.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const REQUESTS = option('--requests', 3000);
const ROUNDS = option('--rounds', 5);
const CONCURRENCY = option('--concurrency', 8);
const WARMUP = option('--warmup', 2000);

const VOLT = 'volt-storefront';
const price = (amount: number) => ({ amount: { amount: amount.toFixed(2), currencyCode: 'EUR' }, interval: 'MONTH' });
const item = (i: number) => ({ name: `Volt plan ${i}`, slug: `volt-plan-${i}`, price: price(10 + i), category: { name: 'SIM only' } });
const LISTING = { data: { products: { nodes: Array.from({ length: 24 }, (_, i) => item(i)) } } };
const DETAIL = {
  data: {
    product: {
      name: 'Volt SIM Unlimited',
      slug: 'volt-sim-unlimited',
      kind: 'PLAN',
      description: 'Unlimited data, calls and texts on the Volt 5G network, with EU roaming included. '.repeat(3),
      attributes: Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, label: `Attribute ${i}`, value: `${i * 10}`, unit: 'GB' })),
      prices: [
        { type: 'RECURRING', ...price(29) },
        { type: 'ONE_OFF', amount: { amount: '10.00', currencyCode: 'EUR' }, interval: null },
      ],
      compatibleAddons: Array.from({ length: 5 }, (_, i) => ({ name: `Add-on ${i}`, slug: `addon-${i}`, price: price(5 + i) })),
    },
  },
};

/** The catalog stand-in: a child process answering each query with listing or detail data. */
function startCatalog(): Promise<{ url: string; stop: () => void }> {
  const source = `
    const answers = ${JSON.stringify({ listing: JSON.stringify(LISTING), detail: JSON.stringify(DETAIL) })};
    require('node:http').createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body.includes('products(') ? answers.listing : answers.detail);
      });
    }).listen(0, '127.0.0.1', function () { process.send(this.address().port); });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) =>
    child.once('message', (port) => resolve({ url: `http://127.0.0.1:${port}/graphql`, stop: () => child.kill() })),
  );
}

const SUBGRAPHS = ['catalog', 'customer', 'cart', 'promotion', 'opportunity', 'ticket', 'quote'];

/** A subgraph in this process answering `answer` (the customer's key check; the others are never asked). */
const inProcess = (name: string, answer: () => Awaited<ReturnType<SubgraphTarget['execute']>>): SubgraphTarget => ({
  name,
  ready: async () => true,
  execute: async () => answer(),
  raw: async () => JSON.stringify(answer()),
});

function targets(catalogUrl: string): SubgraphTarget[] {
  const grant = { keyId: 'bench-key', kind: 'PUBLIC', storefrontId: VOLT, partnerId: null, scopes: ['storefront'], costBudget: null };
  const none = () => ({ errors: [{ message: 'not part of this bench' }] });
  return SUBGRAPHS.map((name) => {
    if (name === 'catalog') return httpTarget('catalog', catalogUrl, internalSecret());
    return inProcess(name, name === 'customer' ? () => ({ data: { apiKeyVerify: grant } }) : none);
  });
}

/** One POST /graphql into the handler: resolves with the status and body once the answer is ended. */
function post(router: Router, body: string): Promise<{ status: number; body: string }> {
  const req = Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
  Object.assign(req, {
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': STOREFRONT_KEY, host: 'bench' },
    socket: { remoteAddress: '127.0.0.1' },
  });
  return new Promise((resolve) => {
    const res = {
      statusCode: 200,
      headersSent: false,
      setHeader: () => res,
      getHeader: () => undefined,
      writeHead(status: number) {
        res.statusCode = status;
        return res;
      },
      write: () => true,
      end(text?: string) {
        resolve({ status: res.statusCode, body: String(text ?? '') });
        return res;
      },
    };
    router.handler(req, res as unknown as ServerResponse);
  });
}

async function drive(router: Router, body: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const answer = await post(router, body);
      if (answer.status !== 200 || answer.body.includes('"errors"'))
        throw new Error(`answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // What follows each answer (metrics, the request line) is done by the next turn of the loop.
  await new Promise((resolve) => setImmediate(resolve));
}

/** CPU µs per request of `count` requests: all of it, and user time alone (the system time is mostly the same socket writes either way). */
async function cpuPerRequest(router: Router, body: string, count: number): Promise<{ total: number; user: number }> {
  const before = process.cpuUsage();
  await drive(router, body, count);
  const used = process.cpuUsage(before);
  return { total: (used.user + used.system) / count, user: used.user / count };
}

async function fastAnswered(router: Router): Promise<string> {
  let text = '';
  const res = {
    statusCode: 200,
    setHeader: () => res,
    writeHead: () => res,
    end: (body: string) => {
      text = body;
    },
  };
  const req = { method: 'GET', url: '/metrics', headers: {}, socket: { remoteAddress: '127.0.0.1' } };
  router.handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return text
    .split('\n')
    .filter((line) => line.startsWith('dcrm_fast_path_total'))
    .join(', ');
}

process.env.DCRM_INTERNAL_SECRET ||= randomBytes(32).toString('hex');
process.env.DCRM_JWT_SECRET ||= randomBytes(32).toString('hex');
process.env.APOLLO_TELEMETRY_DISABLED = '1';
setLogDestination({ write: () => {} });
const catalog = await startCatalog();
// A bucket the bench never empties (as bench/shapes.ts gives the routers it starts).
const cost = (fastPath: boolean) => ({ keyPrefix: `bench-cpu:${process.pid}:${fastPath}`, maximumAvailable: 1e8, restoreRate: 1e8 });
const make = (fastPath: boolean) =>
  createRouter({ supergraphSdl: loadSupergraph(), targets: targets(catalog.url), cost: cost(fastPath), fastPath, graphiql: false });
// `--only fast` (or `apollo`): one router, e.g. under `--cpu-prof`.
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const routers: Record<string, Router> = {};
if (only !== 'fast') routers.apollo = await make(false);
if (only !== 'apollo') routers.fast = await make(true);
const operations = OPERATIONS.filter((op) => op.name === 'listing' || op.name === 'detail');
type Rounds = { total: number[]; user: number[] };
const results: Record<string, Record<string, Rounds>> = {};
try {
  for (const op of operations) {
    const body = JSON.stringify({ query: op.query, variables: op.variables });
    // Warm: the JIT's work, the remembered operation, the key and plan caches.
    for (const router of Object.values(routers)) await drive(router, body, WARMUP);
    results[op.name] = { apollo: { total: [], user: [] }, fast: { total: [], user: [] } };
    for (let round = 0; round < ROUNDS; round++) {
      // Each first in turn: a drift in the machine's load weighs on both alike.
      const order = Object.entries(routers);
      if (round % 2) order.reverse();
      for (const [name, router] of order) {
        const { total, user } = await cpuPerRequest(router, body, REQUESTS);
        results[op.name][name].total.push(total);
        results[op.name][name].user.push(user);
      }
    }
  }
  const median = (values: number[]) => (values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] : Number.NaN);
  const cell = (values: number[]) => `${median(values).toFixed(0)} (${values.map((v) => v.toFixed(0)).join(', ')})`;
  console.log(`router CPU µs per request (median of ${ROUNDS} rounds of ${REQUESTS}, ${CONCURRENCY} at a time; each round in brackets)`);
  console.log('| operation | CPU | Apollo pipeline (fast path off) | fast path | fast ÷ Apollo |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, { apollo, fast }] of Object.entries(results))
    for (const kind of ['total', 'user'] as const)
      console.log(
        `| ${name} | ${kind} | ${cell(apollo[kind])} | ${cell(fast[kind])} | ${(median(fast[kind]) / median(apollo[kind])).toFixed(2)} |`,
      );
  if (routers.fast) console.log(`fast path: ${await fastAnswered(routers.fast)}`);
} finally {
  for (const router of Object.values(routers)) await router.stop();
  catalog.stop();
}
process.exit(0);
