import { type EntityMetadata, type EventSubscriber, type FlushEventArgs, ReferenceKind, wrap } from '@mikro-orm/core';
import { brandsOf, mayActOn } from './brands.js';
import { apiError } from './errors.js';
import type { Principal } from './principal.js';
import { requestPrincipal } from './request-principal.js';

/**
 * Brand scope of writes, enforced once for every subgraph. The server binds each request's principal
 * (`requestPrincipal`); `BrandWriteGuard`, registered on every ORM, refuses at flush any insert, update
 * or delete of an entity whose `storefrontId` / `storefront` (before or after the change) lies outside
 * that principal's brands. A row without a brand column is judged by the rows it points to that have
 * one (a price by its price list, an address by its customer), read in the flush's transaction when
 * they are not loaded. Services still check brand first and answer NOT_FOUND themselves; this is the
 * backstop for a check a resolver forgot. Raw SQL (`execute`, `nativeUpdate`) bypasses it.
 */
export { type BrandScope, requestPrincipal } from './request-principal.js';

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

type Meta = EntityMetadata<Record<string, unknown>>;

const brandProperty = (meta: Meta | undefined) => BRAND_PROPERTIES.find((p) => meta?.properties[p]);

/** The id a many-to-one value points to, and the loaded row when there is one. */
function pointee(value: unknown): { id: string | null; loaded: Record<string, unknown> | null } {
  if (value && typeof value === 'object') {
    const loaded = wrap(value as object).isInitialized() ? (value as Record<string, unknown>) : null;
    return { id: brandIdOf(value), loaded };
  }
  return { id: typeof value === 'string' ? value : null, loaded: null };
}

export class BrandWriteGuard implements EventSubscriber {
  async onFlush({ uow, em }: FlushEventArgs): Promise<void> {
    const principal = guardedPrincipal();
    if (!principal || brandsOf(principal).includes('*')) return;
    // Owners to read from the database: target metadata → ids.
    const unloaded = new Map<Meta, Set<string>>();
    for (const change of uow.getChangeSets()) {
      const rows = [change.entity as Record<string, unknown>, change.originalEntity as Record<string, unknown> | undefined];
      if (brandProperty(change.meta as Meta)) {
        if (!rows.every((row) => mayWriteRow(principal, row))) throw brandRefused();
        continue;
      }
      for (const relation of change.meta.relations) {
        const target = relation.targetMeta as Meta | undefined;
        if (relation.kind !== ReferenceKind.MANY_TO_ONE || !brandProperty(target) || target?.primaryKeys.length !== 1) continue;
        for (const row of rows) {
          const { id, loaded } = pointee(row?.[relation.name]);
          if (loaded && !mayWriteRow(principal, loaded)) throw brandRefused();
          if (!loaded && id) unloaded.set(target, (unloaded.get(target) ?? new Set()).add(id));
        }
      }
    }
    for (const [target, ids] of unloaded) {
      const column = target.properties[brandProperty(target) as string].fieldNames[0];
      const key = target.properties[target.primaryKeys[0]].fieldNames[0];
      const table = `"${target.schema ?? em.config.get('schema')}"."${target.tableName}"`;
      const owners: { brand: unknown }[] = await em
        .getConnection()
        .execute(`select "${column}" as brand from ${table} where "${key}" in (?)`, [[...ids]], 'all', em.getTransactionContext());
      if (!owners.every((o) => o.brand == null || mayActOn(principal, String(o.brand)))) throw brandRefused();
    }
  }
}
