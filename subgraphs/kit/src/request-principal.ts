import type { Principal } from './principal.js';
import { runInScope, scopePart } from './request-scope.js';

/**
 * The principal of the request being served (bound once it is verified): what `BrandWriteGuard`
 * (brand-guard.ts) checks writes against, and what the router forwards to subgraphs. Apart from the
 * guard so the router, which has no ORM, does not load MikroORM with it.
 */
export type BrandScope = { principal: Principal | null };

const storage = {
  getStore: () => scopePart('brand'),
  run: <T>(scope: BrandScope, fn: () => T): T => runInScope('brand', scope, fn),
};

export const requestPrincipal = {
  /** Runs one request with an empty scope; `bind` fills it once the principal is verified. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return storage.run({ principal: null }, fn);
  },
  bind(principal: Principal): void {
    const scope = storage.getStore();
    if (scope) scope.principal = principal;
  },
  current(): Principal | null {
    return storage.getStore()?.principal ?? null;
  },
};
