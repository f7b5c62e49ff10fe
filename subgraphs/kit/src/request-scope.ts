import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestLog } from './logger.js';
import type { BrandScope } from './request-principal.js';
import type { SqlCount } from './sql-counter.js';

/**
 * What one request carries through its async work: its log line (logger.ts), its SQL count
 * (sql-counter.ts) and the principal its writes are guarded for (brand-guard.ts). One
 * AsyncLocalStorage for all three: each storage costs a copy on every promise the request creates,
 * and an in-process (all-in-one) request nests the router's scope and a subgraph's.
 */
export type RequestScope = {
  log?: RequestLog;
  sql?: SqlCount;
  brand?: BrandScope;
};

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` in the current scope with `part` replaced (the other parts stay the enclosing request's). */
export function runInScope<K extends keyof RequestScope, T>(key: K, part: RequestScope[K], fn: () => T): T {
  const outer = storage.getStore();
  const scope: RequestScope = { log: outer?.log, sql: outer?.sql, brand: outer?.brand };
  scope[key] = part;
  return storage.run(scope, fn);
}

/** The current request's `key` part, if any. */
export function scopePart<K extends keyof RequestScope>(key: K): RequestScope[K] {
  return storage.getStore()?.[key];
}
