import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '@dcrm/kit';

export type Served = { name: string; child: ChildProcess; output: string[]; port: number; base: string };

const SUBGRAPHS = ['catalog', 'customer', 'cart', 'promotion', 'opportunity', 'ticket', 'quote'];

/**
 * The router and one process per subgraph, each started by `serve` (`stack/bin/serve`, or `bin/serve`
 * of a deploy copy) with NODE_ENV=production and migrations off, on free ports, each found by the
 * others through `<NAME>_URL`; resolves once every `/healthz` answers.
 */
export async function serveProcesses(serve: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<Served[]> {
  const ports = new Map<string, number>();
  for (const name of [...SUBGRAPHS, 'router']) ports.set(name, await freePort());
  const base = (name: string) => `http://127.0.0.1:${ports.get(name)}`;
  const shared: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', DCRM_MIGRATE: 'false', ...env };
  for (const name of SUBGRAPHS) shared[`${name.toUpperCase()}_URL`] = `${base(name)}/graphql`;
  const served: Served[] = [];
  for (const [name, port] of ports) {
    const child = spawn(serve, [name], { cwd, env: { ...shared, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
    served.push({ name, child, output, port, base: base(name) });
  }
  try {
    for (const { name, child, output, base } of served) {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${output.join('')}`);
        if (
          await fetch(`${base}/healthz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } catch (error) {
    await stopProcesses(served);
    throw error;
  }
  return served;
}

/** SIGTERM to each process still running; resolves once all have exited. */
export const stopProcesses = (served: Served[]) =>
  Promise.all(
    served.map(({ child }) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')) : null)),
  );

export const served = (all: Served[], name: string) => all.find((s) => s.name === name) as Served;
