import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer as createHttpServer, request } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BootedSubgraph, bootSubgraph, freePort, httpTarget, internalSecret } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SUBGRAPHS } from '../stack/src/subgraphs.js';
import { connectLive, subscribeLive } from './support/live.js';
import { KEYS } from './support/stack.js';

/** Real processes told to stop while busy: every in-flight request is answered, then the process exits 0, quietly. */

type Proc = { child: ChildProcess; stdout: string[]; stderr: string[]; exited: Promise<number | null> };

function launch(command: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(command, args, {
    // LOG_LEVEL info: the shutdown lines read below are info lines.
    env: {
      ...process.env,
      APOLLO_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'info',
      DCRM_COST_BUCKET_SIZE: '10000000',
      DCRM_COST_RESTORE_RATE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (c: Buffer) => stdout.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => stderr.push(c.toString()));
  // Resolves once the process has exited and every holder of its pipes is gone.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, stdout, stderr, exited };
}

async function untilReady(proc: Proc, base: string): Promise<void> {
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`exited ${proc.child.exitCode}: ${proc.stderr.join('')}${proc.stdout.join('')}`);
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const QUERY = JSON.stringify({
  query: '{ products(first: 50) { nodes { id name slug kind price { amount { amount currencyCode } interval } } } storefront { name } }',
});

type Answer = { status: number; body: string; at: number };

/** `count` POSTs at once, each on its own kept-alive connection (they must not hold the process open). */
function burst(port: number, count: number): Promise<Answer>[] {
  const agent = new Agent({ keepAlive: true, maxSockets: count });
  return Array.from(
    { length: count },
    () =>
      new Promise<Answer>((resolve, reject) => {
        const req = request(
          {
            port,
            host: '127.0.0.1',
            path: '/graphql',
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'x-api-key': KEYS.volt },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), at: Date.now() }));
          },
        );
        req.on('error', reject);
        req.end(QUERY);
      }),
  );
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Output lines that are not the expected start and stop messages. */
const noise = (lines: string[]) =>
  lines
    .join('')
    .split('\n')
    .filter((l) => /error|unhandled|warn/i.test(l) || /^\s+at /.test(l));

/** Sends `signal` to `target` while `count` requests are in flight; returns the answers and the moment of the signal. */
async function signalUnderLoad(port: number, count: number, stop: () => void) {
  const answers = burst(port, count);
  // Once the first answer is back the rest are queued behind it in the server.
  await Promise.race(answers);
  stop();
  return { settled: await Promise.allSettled(answers) };
}

/**
 * An HTTP relay in front of a subgraph that can hold requests: while closed it keeps every request
 * waiting, so the test knows requests are in flight in the router when it signals, however fast the machine.
 */
function gatedRelay(target: string) {
  let open = true;
  let held: (() => void)[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = async () => {
        const reply = await fetch(`${target}${req.url}`, {
          method: req.method,
          headers: Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && k !== 'host')) as Record<
            string,
            string
          >,
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        });
        res.writeHead(reply.status, { 'content-type': reply.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await reply.arrayBuffer()));
      };
      if (open) void forward();
      else held.push(() => void forward());
    });
  });
  return {
    server,
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)),
      ),
    close: () => {
      open = false;
    },
    /** Resolves once requests are held and no new one has come for 200 ms; the number held. */
    settled: async () => {
      let seen = -1;
      while (held.length === 0 || held.length !== seen) {
        seen = held.length;
        await new Promise((r) => setTimeout(r, 200));
      }
      return held.length;
    },
    release: () => {
      open = true;
      const waiting = held;
      held = [];
      for (const go of waiting) go();
    },
  };
}

describe('graceful shutdown', { timeout: 120_000 }, () => {
  describe('the production router (stack/bin/serve router) on SIGTERM', () => {
    const booted: BootedSubgraph[] = [];
    const urls = new Map<string, string>();
    let catalogGate: ReturnType<typeof gatedRelay> | undefined;
    beforeAll(async () => {
      const secret = internalSecret();
      const peers = (name: string) => httpTarget(name, `${urls.get(name)}/graphql`, secret);
      const options = { databaseUrl: inject('databaseUrl'), secret, migrate: false, poolSize: 4, peers };
      // Every subgraph of the stack: the production router refuses to start without each one's URL.
      for (const definition of SUBGRAPHS) {
        const subgraph = await bootSubgraph(definition, options);
        const server = await subgraph.server.listen(0, '127.0.0.1');
        urls.set(definition.name, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
        booted.push(subgraph);
      }
      // The router reaches catalog through the gate (the products in every request come from there).
      catalogGate = gatedRelay(urls.get('catalog') as string);
      urls.set('catalog', await catalogGate.listen());
    });
    afterAll(async () => {
      catalogGate?.server.close();
      for (const subgraph of booted) {
        await subgraph.server.stop();
        await subgraph.orm.close();
      }
    });

    // TypeScript through tsx, and the compiled build (`pnpm build`, run by the same command with NODE_ENV=production).
    it.each<[string, NodeJS.ProcessEnv, RegExp]>([
      ['through tsx', {}, /--import tsx/],
      ['compiled', { NODE_ENV: 'production' }, /--conditions=compiled \S+stack\/dist\/src\/cli\/dcrm\.js serve router/],
    ])(
      '%s: answers every in-flight request, closes subscriptions with 1001, refuses new connections and exits 0 quietly',
      async (_shape, shape, command) => {
        if (shape.NODE_ENV === 'production' && !existsSync('stack/dist/src/cli/dcrm.js')) {
          expect(spawnSync('stack/bin/build', { stdio: 'inherit' }).status).toBe(0);
        }
        const port = await freePort();
        const env: NodeJS.ProcessEnv = { ...shape, PORT: String(port), DCRM_SHUTDOWN_GRACE_MS: '20000' };
        for (const [name, url] of urls) env[`${name.toUpperCase()}_URL`] = `${url}/graphql`;
        // Exactly the README's production command.
        const router = launch('stack/bin/serve', ['router'], env);
        await untilReady(router, `http://127.0.0.1:${port}`);
        expect(readFileSync(`/proc/${router.child.pid}/cmdline`, 'utf8').split('\0').join(' ')).toMatch(command);
        const live = connectLive(`ws://127.0.0.1:${port}/graphql`, { 'x-api-key': KEYS.volt });
        subscribeLive(live, 'subscription { storefrontOffers { id } }');
        await new Promise((r) => setTimeout(r, 300));

        // All 60 requests are held in flight at catalog when the signal comes; released once the router is draining.
        const gate = catalogGate as ReturnType<typeof gatedRelay>;
        gate.close();
        const pending = burst(port, 60);
        expect(await gate.settled()).toBeGreaterThan(0);
        const signalledAt = Date.now();
        router.child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 300));
        gate.release();
        const settled = await Promise.allSettled(pending);
        const answers = settled.map((s) => (s.status === 'fulfilled' ? s.value : { status: 0, body: String(s.reason), at: 0 }));
        expect(answers.filter((a) => a.status !== 200)).toEqual([]);
        expect(answers.every((a) => JSON.parse(a.body).data?.products.nodes.length > 0)).toBe(true);
        // The signal really came mid-load: every answer came after it.
        expect(answers.every((a) => a.at > signalledAt)).toBe(true);
        expect((await live.closed).code).toBe(1001);
        // Until its last request is answered and no connection has come for a moment, a draining server
        // still takes connections (and answers them with `connection: close`); once it is gone, none.
        expect(await router.exited).toBe(0);
        expect(await refused(port)).toBe(true);
        expect(noise(router.stderr), router.stderr.join('')).toEqual([]);
        expect(router.stdout.join('')).toContain('SIGTERM: stopping');
      },
    );
  });

  describe('pnpm start (embedded PostgreSQL, job workers on)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dcrm-shutdown-'));
    let pnpm: Proc | undefined;
    afterAll(async () => {
      // A failed test must not leave the stack behind (the all-in-one follows pnpm).
      if (pnpm?.child.exitCode === null) pnpm.child.kill('SIGTERM');
      await pnpm?.exited;
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('a busy DCRM_EMBEDDED_PG_PORT stops the start with one line naming the port', async () => {
      const holder = createServer();
      const busy = await new Promise<number>((resolve) =>
        holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)),
      );
      try {
        const start = launch('stack/bin/serve', ['all-in-one'], {
          DCRM_DATA_DIR: dataDir,
          DCRM_EMBEDDED_PG_PORT: String(busy),
          PORT: '1',
          DATABASE_URL: '',
        });
        expect(await start.exited).not.toBe(0);
        const lines = start.stderr.join('').trim().split('\n');
        expect(lines).toEqual([expect.stringContaining(`port ${busy}`)]);
        expect(lines[0]).not.toMatch(/undefined/);
      } finally {
        holder.close();
      }
    });

    // First start of an embedded PostgreSQL: initdb, migrations and demo data, slow on a busy machine.
    it('SIGTERM to the pnpm process stops everything: requests answered, port and database freed', { timeout: 300_000 }, async () => {
      const port = await freePort();
      const env = { PORT: String(port), DCRM_DATA_DIR: dataDir, DATABASE_URL: '', DCRM_JOBS: 'on', DCRM_SHUTDOWN_GRACE_MS: '20000' };
      // pnpm as a terminal starts it: under `pnpm exec`, `node` on PATH is a shell wrapper that would get the signal instead.
      const PATH = (process.env.PATH ?? '')
        .split(':')
        .filter((dir) => !dir.includes('node_modules'))
        .join(':');
      const started = launch('pnpm', ['start'], { ...env, PATH });
      pnpm = started;
      await untilReady(started, `http://127.0.0.1:${port}`);
      const postmaster = join(dataDir, 'postgres', 'postmaster.pid');
      const postgresPid = Number(readFileSync(postmaster, 'utf8').split('\n')[0]);
      expect(alive(postgresPid)).toBe(true);

      // pnpm does not pass SIGTERM on: the all-in-one notices its parent is gone and drains.
      const { settled } = await signalUnderLoad(port, 40, () => started.child.kill('SIGTERM'));
      expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.status : String(s.reason))).filter((s) => s !== 200)).toEqual([]);
      await started.exited;
      expect(started.child.signalCode).toBe('SIGTERM');
      expect(await refused(port)).toBe(true);
      expect(alive(postgresPid)).toBe(false);
      expect(existsSync(postmaster)).toBe(false);
      const output = [...started.stdout, ...started.stderr];
      expect(output.join('')).toContain('parent process gone: stopping');
      // pnpm's own "ELIFECYCLE Command failed" is about its own death by signal, not ours.
      const unexpected = noise(output).filter((l) => !l.includes('ELIFECYCLE'));
      expect(unexpected, unexpected.join('\n')).toEqual([]);
    });

    // The database above is seeded by now, so this start is quick.
    it('without PORT and with 4000 taken, it listens on a free port and prints that one', { timeout: 120_000 }, async () => {
      const holder = createServer();
      // 4000 is held here, or something else holds it already: either way it is busy.
      await new Promise<void>((resolve) => holder.once('error', () => resolve()).listen(4000, '127.0.0.1', () => resolve()));
      try {
        const start = launch('stack/bin/serve', ['all-in-one'], { PORT: undefined, DCRM_DATA_DIR: dataDir, DATABASE_URL: '' });
        const banner = /GraphQL \+ GraphiQL http:\/\/localhost:(\d+)\/graphql/;
        const deadline = Date.now() + 110_000;
        while (!banner.test(start.stdout.join('')) && start.child.exitCode === null && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
        }
        const port = Number(banner.exec(start.stdout.join(''))?.[1]);
        expect(port, [...start.stdout, ...start.stderr].join('')).toBeGreaterThan(0);
        expect(port).not.toBe(4000);
        expect(start.stdout.join('')).toContain('port 4000 is in use: listening on a free port instead');
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
        start.child.kill('SIGTERM');
        expect(await start.exited).toBe(0);
      } finally {
        holder.close();
      }
    });
  });
});
