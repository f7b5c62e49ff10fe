import { type ChildProcess, execFileSync, execSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const randomSecret = () => randomBytes(32).toString('hex');

/**
 * What every dcrm process a bench starts shares: production mode, its database and Redis ('' for none),
 * fresh secrets (or the run's own, when it signs too), no telemetry. Each bench adds what its run needs.
 */
export function benchEnv(
  databaseUrl: string,
  redisUrl = '',
  secrets: { internal: string; jwt: string } = { internal: randomSecret(), jwt: randomSecret() },
): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    DCRM_INTERNAL_SECRET: secrets.internal,
    // Required in production by whoever signs or verifies customer tokens.
    DCRM_JWT_SECRET: secrets.jwt,
    NODE_ENV: 'production',
    APOLLO_TELEMETRY_DISABLED: '1',
  };
}

/**
 * A query-cost bucket the load never empties: a bench drives one storefront key from one address as hard as
 * it can (the single-query maximum stays as in production; every bench operation is far below it).
 */
export const UNLIMITED_COST_BUDGET = { DCRM_COST_BUCKET_SIZE: '100000000', DCRM_COST_RESTORE_RATE: '100000000' } as const;

/** A child process; `stop` signals its group (SIGTERM: a stop, SIGKILL: a crash) and waits for it to be gone. */
export type Child = { name: string; process: ChildProcess; output: string[]; stop(signal?: NodeJS.Signals): Promise<void> };

const PORT_RANGE = { from: 4700, to: 4799 };
const taken = new Set<number>();
const START = Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from + 1));
const children = new Set<Child>();

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    // 0.0.0.0: taken on any interface (HOST may make a process bind more than loopback).
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });
}

/** A port of 4700–4799 that nothing listens on and this run has not handed out yet. */
export async function freePort(): Promise<number> {
  const size = PORT_RANGE.to - PORT_RANGE.from + 1;
  for (let i = 0; i < size; i++) {
    // From this run's own offset: two runs side by side probing the same first ports would both take
    // them before either child binds.
    const port = PORT_RANGE.from + ((START + i) % size);
    if (taken.has(port)) continue;
    if (await canBind(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${PORT_RANGE.from}-${PORT_RANGE.to}`);
}

/** Kills the child's whole process group, gently first. */
function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    // already gone
  }
}

/**
 * This Node (the project's pinned one) with tsx's loader: no pnpm in between, whose state file several
 * starting children would race on; with the runtime flag `stack/bin/dcrm` gives every production process.
 */
export const TSX = [process.execPath, '--experimental-async-context-frame', '--import', 'tsx'] as const;

/**
 * `node --import tsx <script>` in its own process group, so SIGTERM reaches the node process that
 * serves (and writes its CPU profile on exit). Output is kept for error messages, not echoed.
 */
export function startChild(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  return startCommand(name, TSX[0], [...TSX.slice(1), script], env);
}

/**
 * `stack/bin/dcrm serve <process>`'s own entry through tsx, with the runtime flags production gives that
 * process (`stack/bin/dcrm flags serve <process>`: e.g. a subgraph's small young generation), so a bench
 * measures what production runs. A flag of the same kind in `env.NODE_OPTIONS` wins, as in production.
 * `script`: the entry, when it is not a subgraph's (the routers, the bench's own all-in-one server).
 */
export function startServe(name: string, serve: string, env: NodeJS.ProcessEnv, script = `subgraphs/${serve}/src/main.ts`): Child {
  const flags = execFileSync('stack/bin/dcrm', ['flags', 'serve', serve], { env: { ...process.env, ...env } })
    .toString()
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return startCommand(name, TSX[0], [...flags, '--import', 'tsx', script], env);
}

/** `command args…` in its own process group (as `startChild`), e.g. `stack/bin/serve router` for the compiled build. */
export function startCommand(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(command, args, {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const child: Child = {
    name,
    process: proc,
    output,
    stop: async (sig: NodeJS.Signals = 'SIGTERM') => {
      signal(proc, sig);
      const timer = setTimeout(() => signal(proc, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
  };
  children.add(child);
  return child;
}

/** Polls `url` until it answers 200; fails early when the child dies. */
export async function waitReady(child: Child, url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(
        `${child.name} exited (${child.process.exitCode ?? child.process.signalCode}):\n${child.output.join('').slice(-3000)}`,
      );
    }
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${child.name} not ready at ${url} after ${timeoutMs} ms:\n${child.output.join('').slice(-3000)}`);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop()));
}

/** Last resort on exit paths that cannot await: every child group gets SIGTERM. */
export function killAllNow(): void {
  for (const child of children) signal(child.process, 'SIGTERM');
}

let ticksPerSecond: number | null = null;

/**
 * CPU time (user + system, µs) the child has used so far, from `/proc/<pid>/stat` (Linux; null elsewhere):
 * what `process.cpuUsage()` would say inside it, read from outside. Unlike latency, CPU per request
 * barely moves with the machine's load.
 */
export function cpuMicros(child: Child): number | null {
  return child.process.pid === undefined ? null : pidCpuMicros(child.process.pid);
}

/** `cpuMicros` of any process by pid (e.g. a PostgreSQL backend); null when it is gone or not on Linux. */
export function pidCpuMicros(pid: number): number | null {
  try {
    ticksPerSecond ??= Number(execSync('getconf CLK_TCK', { stdio: ['ignore', 'pipe', 'ignore'] }).toString()) || 100;
    // Fields after the parenthesised command name: state is 3rd, utime 14th, stime 15th (1-based).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
  } catch {
    return null;
  }
}
