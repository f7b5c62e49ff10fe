import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import pg from 'pg';

/**
 * CPU time of every party to the decisioning bench, read before and after the measured window, so the
 * report can give CPU µs per event decided per process: a figure the machine's other load barely
 * moves (it is time on CPU, not wall time), from which the capacity of the machine's cores follows.
 * - promotion consumers and the customer subgraph: their processes' user + system time (`/proc/<pid>/stat`);
 * - Redis: `INFO cpu` (used_cpu_user + used_cpu_sys; the whole server: other clients of a shared Redis count too);
 * - PostgreSQL: the backends connected to the bench's database (`pg_stat_activity`, then their `/proc` times;
 *   WAL writer and checkpointer, shared by every database, are left out);
 * - the producer: this process (`process.cpuUsage()`).
 * Where `/proc` cannot be read (not Linux), a process counts 0 and the report says `n/a`.
 */

export type CpuParty = 'consumers' | 'customer' | 'redis' | 'postgres' | 'producer';
export const CPU_PARTIES: CpuParty[] = ['consumers', 'customer', 'redis', 'postgres', 'producer'];
/** CPU seconds per party, and per PostgreSQL backend (so backends opened during the window count from their start). */
export type CpuSample = { seconds: Record<CpuParty, number>; backends: Map<number, number>; readable: boolean };

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process, or null when it is gone or `/proc` is not there. */
export function processCpu(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces), from field 3: utime is field 14, stime field 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string) => Number(info.match(new RegExp(`^${name}:([\\d.]+)`, 'm'))?.[1] ?? 0);
  return value('used_cpu_user') + value('used_cpu_sys');
}

/** Samples the CPU time of the bench's parties (`consumers`: the promotion processes' pids, read at each sample). */
export function cpuMeter(options: { redis: Redis; databaseUrl: string; consumers: () => (number | undefined)[]; customer?: number }) {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  const connected = client.connect();
  return {
    async sample(): Promise<CpuSample> {
      await connected;
      const { rows } = await client.query<{ pid: number }>(
        'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      const backends = new Map<number, number>();
      for (const { pid } of rows) {
        const seconds = processCpu(pid);
        if (seconds !== null) backends.set(pid, seconds);
      }
      const consumers = options.consumers().map(processCpu);
      const own = process.cpuUsage();
      return {
        seconds: {
          consumers: consumers.reduce<number>((sum, s) => sum + (s ?? 0), 0),
          customer: processCpu(options.customer) ?? 0,
          redis: await redisCpu(options.redis),
          postgres: [...backends.values()].reduce((sum, s) => sum + s, 0),
          producer: (own.user + own.system) / 1e6,
        },
        backends,
        readable: consumers.every((s) => s !== null),
      };
    },
    close: () => client.end(),
  };
}

/**
 * CPU µs per event, per party and in total, between two samples: per event decided, but the producer's
 * per event appended (when the consumers fall behind, it appends more than they decide).
 */
export function cpuPerEvent(
  before: CpuSample,
  after: CpuSample,
  counts: { decided: number; appended: number },
): Record<CpuParty | 'total', number> | null {
  if (!before.readable || !after.readable || counts.decided <= 0 || counts.appended <= 0) return null;
  const used: Record<CpuParty, number> = { ...after.seconds };
  for (const party of CPU_PARTIES) if (party !== 'postgres') used[party] -= before.seconds[party];
  // A backend present at both samples counts its delta; one opened since, all of its time.
  used.postgres = 0;
  for (const [pid, seconds] of after.backends) used.postgres += seconds - (before.backends.get(pid) ?? 0);
  const perEvent = { total: 0 } as Record<CpuParty | 'total', number>;
  for (const party of CPU_PARTIES) {
    perEvent[party] = (used[party] * 1e6) / (party === 'producer' ? counts.appended : counts.decided);
    perEvent.total += perEvent[party];
  }
  return perEvent;
}
