import { randomBytes } from 'node:crypto';
import { PRINCIPAL_HEADER, type Principal, seedId, signPrincipal } from '@dcrm/kit';
import { SUBGRAPHS } from '../stack/src/subgraphs.js';
import { stackMeter } from './backends.js';
import type { Target } from './load.js';
import { type Operation, STOREFRONT_KEY } from './operations.js';
import { benchEnv, type Child, cpuMicros, freePort, startChild, startServe, UNLIMITED_COST_BUDGET, waitReady } from './processes.js';
import { staffSession } from './staff.js';

export const SHAPES = ['router prod', 'router all-in-one', 'bare proxy', 'direct subgraph', 'raw SQL'] as const;
export type Shape = (typeof SHAPES)[number];

export type Shapes = {
  /** Every shape that can answer `op`, in SHAPES order. */
  targets(op: Operation): { shape: Shape; target: Target }[];
  children: Child[];
  /** The production routers' base URLs (two with `secondRouter`), for the live-offer bench. */
  routers: string[];
  /** The children's DCRM_JWT_SECRET: the live bench signs its subscribers' tokens with it. */
  jwtSecret: string;
  /** Stops refreshing the staff tokens. */
  stop(): void;
};

export type ShapeOptions = {
  databaseUrl: string;
  /** Extra NODE_OPTIONS for every child (e.g. `--max-semi-space-size=64`), to try runtime flags side by side. */
  nodeOptions?: string;
  /** Extra NODE_OPTIONS for the routers only (prod and all-in-one), after `nodeOptions`: GC flags A/B on the router (issue 20). */
  routerNodeOptions?: string;
  /** CPU-profile one process (`router` or a subgraph's name of the production shape, or `all-in-one`) into `dir`. */
  profile?: { dir: string; process: string };
  /** A second production router (live offers fan out between routers through Redis). */
  secondRouter?: boolean;
  /** Redis for every child (their event bus); unset: each process has its in-memory bus. */
  redisUrl?: string;
  log: (line: string) => void;
};

const VOLT = seedId('storefront', 'volt');
// What the router signs for a Volt shopper: the direct baseline sends the same, signed right before each run.
const SHOPPER: Principal = { kind: 'anonymous', id: 'bench', storefrontId: VOLT, partnerId: null, roles: [], scopes: ['storefront'] };

const local = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;

/**
 * Starts every shape as child processes and waits until each is ready: the production shape (one
 * process per subgraph plus the router, over HTTP), the all-in-one router, and the raw SQL baseline.
 */
export async function startShapes(options: ShapeOptions): Promise<Shapes> {
  const processes = ['router', ...SUBGRAPHS.map((s) => s.name), 'all-in-one'];
  if (options.profile && !processes.includes(options.profile.process)) throw new Error(`--cpu-prof takes one of ${processes.join(', ')}`);
  const secret = randomBytes(32).toString('hex');
  const jwtSecret = randomBytes(32).toString('hex');
  const common = {
    ...benchEnv(options.databaseUrl, options.redisUrl ?? '', { internal: secret, jwt: jwtSecret }),
    // Both shapes share one PostgreSQL (100 connections by default); job workers, not measured here,
    // would hold a listener and a pool each in four processes.
    DCRM_JOBS: 'off',
    ...UNLIMITED_COST_BUDGET,
  };
  const children: Child[] = [];
  const ready: Promise<void>[] = [];
  const byName = new Map<string, Child>();
  const cpuOf = (name: string) => () => {
    const child = byName.get(name);
    return child ? cpuMicros(child) : null;
  };
  /** Each process starts with the runtime flags production gives it (`serve`: stack/bin/dcrm's process name), else plain tsx. */
  const start = (name: string, script: string, port: number, env: NodeJS.ProcessEnv, serve?: string) => {
    const profile = options.profile?.process === name ? `--cpu-prof --cpu-prof-dir ${options.profile.dir}` : '';
    const router = name.startsWith('router') || name === 'all-in-one' ? options.routerNodeOptions : undefined;
    const nodeOptions = [process.env.NODE_OPTIONS, options.nodeOptions, router, profile].filter(Boolean).join(' ');
    const childEnv = { ...common, ...env, PORT: String(port), ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) };
    const child = serve ? startServe(name, serve, childEnv, script) : startChild(name, script, childEnv);
    children.push(child);
    byName.set(name, child);
    ready.push(waitReady(child, local(port, '/readyz')).then(() => options.log(`${name} ready on :${port}`)));
  };

  const subgraphPorts = new Map<string, number>();
  for (const s of SUBGRAPHS) subgraphPorts.set(s.name, await freePort());
  // Subgraphs find their peers (cart asks catalog and customer) at the same URLs the router uses.
  const urls = Object.fromEntries([...subgraphPorts].map(([name, port]) => [`${name.toUpperCase()}_URL`, local(port, '/graphql')]));
  for (const s of SUBGRAPHS)
    start(s.name, `subgraphs/${s.name}/src/main.ts`, subgraphPorts.get(s.name) as number, { DCRM_MIGRATE: 'false', ...urls }, s.name);
  const routerPort = await freePort();
  const routerEnv = { ...urls, DCRM_EXPOSE_SQL_COUNT: '1', DCRM_EXPOSE_LIVE_STATS: '1' };
  start('router', 'router/src/main.ts', routerPort, routerEnv, 'router');
  const routerPorts = [routerPort];
  if (options.secondRouter) {
    routerPorts.push(await freePort());
    start('router 2', 'router/src/main.ts', routerPorts[1], routerEnv, 'router');
  }
  const allInOnePort = await freePort();
  start('all-in-one', 'bench/all-in-one-server.ts', allInOnePort, {}, 'all-in-one');
  // The floor of a separate router process: a bare proxy in front of the direct baseline (bare-proxy.ts).
  const barePort = await freePort();
  start('bare proxy', 'bench/bare-proxy.ts', barePort, urls);
  const rawPort = await freePort();
  start('raw', 'bench/raw-baseline.ts', rawPort, { STOREFRONT_ID: VOLT });
  await Promise.all(ready);

  // Staff operations: the demo manager signs in once per router shape (a bearer token kept fresh).
  const prodStaff = await staffSession(local(routerPort, '/graphql'), jwtSecret);
  const allInOneStaff = await staffSession(local(allInOnePort, '/graphql'), jwtSecret);
  options.log(`staff signed in (${prodStaff.principal.scopes.length} scopes)`);

  // Every process started here and the database's backends: what an operation costs the machine, whichever shape answered it.
  const pids = () => children.flatMap((c) => (c.process.pid === undefined ? [] : [c.process.pid]));
  const meter = stackMeter(options.databaseUrl, new URL(options.databaseUrl).pathname.slice(1), pids);
  const whole = { beforeRun: meter.mark, stackCpuSince: meter.since };
  const graphql = (op: Operation) => JSON.stringify({ query: op.query, variables: op.variables });
  const viaKey = () => ({ 'x-api-key': STOREFRONT_KEY });
  return {
    children,
    routers: routerPorts.map((port) => local(port, '')),
    jwtSecret,
    stop: () => {
      prodStaff.stop();
      allInOneStaff.stop();
    },
    targets: (op) => {
      const body = graphql(op);
      const staff = op.auth === 'staff';
      const targets: { shape: Shape; target: Target }[] = [
        {
          shape: 'router prod',
          target: { ...whole, url: local(routerPort, '/graphql'), body, headers: staff ? prodStaff.headers : viaKey, cpu: cpuOf('router') },
        },
        {
          shape: 'router all-in-one',
          target: {
            ...whole,
            url: local(allInOnePort, '/graphql'),
            body,
            headers: staff ? allInOneStaff.headers : viaKey,
            cpu: cpuOf('all-in-one'),
          },
        },
      ];
      const port = op.subgraph ? subgraphPorts.get(op.subgraph) : undefined;
      if (port) {
        // What the router would sign: the shopper of the storefront key, or the signed-in staff member.
        const principal = staff ? prodStaff.principal : SHOPPER;
        const request = { query: op.directQuery ?? op.query, variables: op.variables };
        const signed = () => ({ [PRINCIPAL_HEADER]: signPrincipal(principal, secret, { audience: op.subgraph as string, body: request }) });
        const direct = { ...whole, body: JSON.stringify(request), headers: signed };
        targets.push(
          { shape: 'bare proxy', target: { ...direct, url: local(barePort, `/${op.subgraph}`), cpu: cpuOf('bare proxy') } },
          { shape: 'direct subgraph', target: { ...direct, url: local(port, '/graphql'), cpu: cpuOf(op.subgraph as string) } },
        );
      }
      if (op.raw)
        targets.push({
          shape: 'raw SQL',
          target: { ...whole, url: local(rawPort, `/${op.name}`), body, headers: () => ({}), cpu: cpuOf('raw') },
        });
      return targets;
    },
  };
}
