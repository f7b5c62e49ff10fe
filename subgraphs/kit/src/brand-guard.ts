import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import { brandsOf, mayActOn } from './brands.js';
import { apiError } from './errors.js';
import type { Principal } from './principal.js';

/**
 * Brand scope of writes, enforced once for every subgraph. The server binds each request's principal
 * (`requestPrincipal`); `BrandWriteGuard`, registered on every ORM, refuses at flush any insert, update
 * or delete of an entity whose `storefrontId` / `storefront` (before or after the change) lies outside
 * that principal's brands. Services still check brand first and answer NOT_FOUND themselves; this is
 * the backstop for a check a resolver forgot. Raw SQL (`execute`, `nativeUpdate`) bypasses it.
 */
type Scope = { principal: Principal | null };

const storage = new AsyncLocalStorage<Scope>();

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

/** Entity properties that say which brand a row belongs to. */
const BRAND_PROPERTIES = ['storefrontId', 'storefront'] as const;

/** A scalar id, an entity or reference (`{ id }`), or a primary key as the unit of work keeps it. */
function brandIdOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'id' in value && typeof value.id === 'string') return value.id;
  return null;
}

/**
 * Requests without brand-scoped authority are not guarded: no request at all (seeds, migrations,
 * jobs) and the sign-in mutations of a caller without a storefront, which prove themselves by the
 * credentials they present.
 */
function guardedPrincipal(): Principal | null {
  const principal = requestPrincipal.current();
  if (!principal) return null;
  if (principal.kind === 'anonymous' && !principal.storefrontId) return null;
  return principal;
}

export const brandRefused = () => apiError('NOT_FOUND', 'Not found');

/** True when `principal` may write a row with these field values (`null`/absent brand: not a brand row). */
export function mayWriteRow(principal: Principal, row: Record<string, unknown> | undefined): boolean {
  if (!row) return true;
  for (const property of BRAND_PROPERTIES) {
    if (!(property in row) || row[property] == null) continue;
    if (!mayActOn(principal, brandIdOf(row[property]))) return false;
  }
  return true;
}

export class BrandWriteGuard implements EventSubscriber {
  onFlush({ uow }: FlushEventArgs): void {
    const principal = guardedPrincipal();
    if (!principal || brandsOf(principal).includes('*')) return;
    for (const change of uow.getChangeSets()) {
      const hasBrand = BRAND_PROPERTIES.some((p) => p in change.meta.properties);
      if (!hasBrand) continue;
      const current = change.entity as Record<string, unknown>;
      if (!mayWriteRow(principal, current) || !mayWriteRow(principal, change.originalEntity as Record<string, unknown> | undefined)) {
        throw brandRefused();
      }
    }
  }
}
