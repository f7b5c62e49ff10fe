/**
 * CPU of a server's PostgreSQL backends, read from /proc like the server's own: most of a GraphQL read's
 * cost can be the database's, so a comparison that counted only the Node process would flatter whoever
 * pushes work into SQL.
 */
import pg from 'pg';
import { pidCpuMicros } from './processes.js';

/** The backends connected to `database` now, and a reader of their CPU (µs) since this call. */
export async function backendsOf(adminUrl: string, database: string): Promise<{ count: number; cpuSince(): number }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const { rows } = await client
    .query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database])
    .finally(() => client.end());
  const start = cpuNow(rows.map(({ pid }) => pid));
  return { count: start.size, cpuSince: () => cpuSince(start) };
}

/** CPU (µs) of each process now. */
const cpuNow = (pids: number[]) => new Map(pids.map((pid) => [pid, pidCpuMicros(pid) ?? 0]));

/** CPU (µs) those processes used since `start`; one gone before the end (a pool shrank) loses its share: pools stay full under constant load. */
const cpuSince = (start: Map<number, number>) =>
  [...start].reduce((sum, [pid, before]) => sum + Math.max(0, (pidCpuMicros(pid) ?? before) - before), 0);

/**
 * CPU (µs) of a whole stack since `mark()`: the given processes and the PostgreSQL backends connected to
 * `database` at the mark (after a warm-up the pools are full: their backends are the ones a run's SQL
 * runs on). What one operation costs the machine in every process together, whichever answered it.
 */
export function stackMeter(adminUrl: string, database: string, pids: () => number[]) {
  let backends: Awaited<ReturnType<typeof backendsOf>> | null = null;
  let start = new Map<number, number>();
  return {
    async mark(): Promise<void> {
      backends = await backendsOf(adminUrl, database);
      start = cpuNow(pids());
    },
    since: (): number | null => (backends ? backends.cpuSince() + cpuSince(start) : null),
  };
}
