import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

let gc: Gc | null = null;

/**
 * V8's memory-reducing full collection ("last resort": what it does itself near out-of-memory): it
 * shrinks the young generation back to its smallest (it grows to 32 MiB under load and V8 keeps it
 * while idle) and returns freed pages to the system, 60–90 MiB of RSS on a process that has been busy.
 * Takes tens of milliseconds on a 100 MiB heap, so only at start and when idle.
 */
export function compactHeap(): void {
  if (!gc) {
    // `--expose-gc` set at run time exposes `gc` to contexts created after it, not to this one.
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
  }
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

export type IdleCompactionOptions = {
  /** How often the event loop's utilisation is sampled (ms). */
  intervalMs?: number;
  /** Below this share of an interval spent working, the interval was idle (a health check or a scrape is). */
  idleBelow?: number;
  /** Idle intervals in a row, after a busy one, before the heap is compacted. */
  idleIntervals?: number;
  /** What runs on going idle (default `compactHeap`; tests count calls). */
  compact?: () => void;
};

/**
 * Compacts the heap (`compactHeap`) once each time the process goes from busy to idle: the event loop's
 * utilisation is sampled every `intervalMs`; after an interval at or above `idleBelow` (requests), the
 * first `idleIntervals` idle intervals in a row trigger one compaction; health checks and metric scrapes
 * neither trigger nor re-arm it. Nothing runs under load. The timer never keeps the process alive.
 * `DCRM_IDLE_COMPACTION=off` turns it off. Returns a stop function.
 */
export function compactWhenIdle(options: IdleCompactionOptions = {}): () => void {
  if (process.env.DCRM_IDLE_COMPACTION === 'off') return () => {};
  const { intervalMs = 2_000, idleBelow = 0.02, idleIntervals = 2, compact = compactHeap } = options;
  let last = performance.eventLoopUtilization();
  let armed = false;
  let idleRun = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization >= idleBelow;
    last = now;
    if (busy) {
      armed = true;
      idleRun = 0;
      return;
    }
    idleRun += 1;
    if (armed && idleRun >= idleIntervals) {
      armed = false;
      compact();
      // The collection itself counts as work: start the next interval after it.
      last = performance.eventLoopUtilization();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
