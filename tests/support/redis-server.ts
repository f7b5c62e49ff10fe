import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { freePort, redisAnswers } from '@dcrm/kit';

/** Is a `redis-server` binary on this machine? Tests that need a Redis of their own skip, visibly, without one. */
export const redisServerInstalled = (): boolean => spawnSync('redis-server', ['--version']).status === 0;

/**
 * A private Redis for one test file, on a free port, nothing persisted: the test may stop and start it
 * (the machine's shared Redis is never touched).
 */
export async function startRedisServer() {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await redisAnswers(url))) throw new Error(`redis-server on port ${port} did not start`);
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url, port, start, stop };
}
