import { type ChildProcess, spawn } from 'node:child_process';

export { freePort } from '@dcrm/kit';

export type Proc = { name: string; child: ChildProcess; output: string[] };

/**
 * `node --import tsx <script>` in a process group of its own (so a signal reaches the node process
 * itself), this Node and no pnpm in between (parallel `pnpm exec` race on pnpm's state file).
 */
export function startProcess(name: string, script: string, env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, child, output };
}

const alive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;

/** Polls `url` until it answers 200; fails early, with the process's output, when it dies. */
export async function waitReady(p: Proc, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(p)) throw new Error(`${p.name} exited (${p.child.exitCode ?? p.child.signalCode}):\n${p.output.join('').slice(-3000)}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${p.name} not ready at ${url} after ${timeoutMs} ms:\n${p.output.join('').slice(-3000)}`);
}

/** Signals the process group and waits for the process to be gone (SIGKILL: a crash; SIGTERM: a stop). */
export async function stopProcess(p: Proc | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p?.child.pid || !alive(p)) return;
  const exited = new Promise((resolve) => p.child.once('exit', resolve));
  try {
    process.kill(-p.child.pid, signal);
  } catch {
    // already gone
  }
  const timer = setTimeout(() => {
    try {
      if (p.child.pid) process.kill(-p.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}
