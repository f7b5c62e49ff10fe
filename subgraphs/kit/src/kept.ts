import type { EventBus } from './bus.js';
import { CATALOG_CHANGED } from './events.js';
import { loggerFor } from './logger.js';

/**
 * Answers kept until their source announces a change (a bus notice) or, in case a notice is lost
 * (pub/sub is at-most-once), until they expire. A read that started before a change does not keep
 * what it read. `copy`: what each caller gets of a kept value, when callers may change it.
 */
export type Kept<V> = {
  /** The value kept under `key`, or `read()` run (and its value kept when `keep` says so). */
  load(key: string, read: () => Promise<V>, keep: (value: V) => boolean): Promise<V>;
  /** Answers served from what was kept, reads run, entries held. */
  stats(): KeptStats;
  /** Forgets everything (the source changed). */
  clear(): void;
  /** Keeps nothing from now on (the source's changes cannot be followed). */
  disable(): void;
};

export type KeptStats = { hits: number; misses: number; entries: number };

export type KeptOptions<V> = {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
  copy?: (value: V) => V;
  /** A value's own end (ms since the epoch, e.g. a token's expiry): it is kept no longer than that, nor than `ttlMs`. */
  until?: (value: V) => number;
};

export function createKept<V>({ ttlMs, maxEntries, now = Date.now, copy = (v) => v, until }: KeptOptions<V>): Kept<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  let generation = 0;
  let enabled = true;
  let hits = 0;
  let misses = 0;
  const clear = () => {
    generation++;
    entries.clear();
  };
  return {
    async load(key, read, keep) {
      if (!enabled) return read();
      const kept = entries.get(key);
      if (kept && kept.expiresAt > now()) {
        hits++;
        return copy(kept.value);
      }
      misses++;
      const started = generation;
      const value = await read();
      if (started === generation && enabled && keep(value)) {
        entries.delete(key);
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
        const expiresAt = now() + ttlMs;
        entries.set(key, { value: copy(value), expiresAt: until ? Math.min(expiresAt, until(value)) : expiresAt });
      }
      return value;
    },
    stats: () => ({ hits, misses, entries: entries.size }),
    clear,
    disable() {
      enabled = false;
      clear();
    },
  };
}

/**
 * Empties `kept` on every catalog change this process hears of (`CATALOG_CHANGED`, published by the
 * catalog before it answers each mutation); without the notices, nothing is kept.
 */
export function forgetOnCatalogChange(
  bus: EventBus,
  kept: Pick<Kept<unknown>, 'clear' | 'disable'>,
  who: string,
): Promise<() => Promise<void>> {
  return bus
    .subscribe(CATALOG_CHANGED, () => kept.clear())
    .catch((error) => {
      loggerFor(who).error({ err: error }, 'catalog changes not followed: catalog answers are not kept');
      kept.disable();
      return async () => {};
    });
}
