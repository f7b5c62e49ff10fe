import { brandCondition, fail, mayActOn, mayActOnAll, mayActOnEveryBrand, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IProduct, Product, StorefrontProduct } from '../entities/index.js';
import type { Result } from './catalog.errors.js';

/**
 * Brand rules of catalog writes. Storefront-owned rows (price lists, assortments, stores) follow
 * their storefront. Products are global rows that brands carry through their assortment, so:
 * - a product is *known* to a principal when a storefront it may act on carries it (all-brands: any);
 *   an id it does not know answers exactly like an unknown id;
 * - a product may be changed (update, archive) only when every storefront carrying it is within the
 *   principal's brands: one brand's staff never edit what another brand sells;
 * - categories are a taxonomy every brand shares: writing them needs the all-brands grant.
 */

/** The ids among `ids` the principal knows (carried by one of its brands; all-brands: every existing one). */
export async function knownProducts(em: EntityManager, principal: Principal, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const condition = brandCondition(principal);
  if (!condition) return new Set((await em.find(Product, { id: { $in: [...ids] } }, { fields: ['id'] })).map((p) => p.id));
  const rows = await em.find(StorefrontProduct, { product: { $in: [...ids] }, storefront: condition }, { fields: ['product'] });
  return new Set(rows.map((r) => r.product.id));
}

/** The storefronts carrying a product. */
async function carriersOf(em: EntityManager, productId: string): Promise<string[]> {
  const rows = await em.find(StorefrontProduct, { product: productId }, { fields: ['storefront'] });
  return rows.map((r) => r.storefront.id);
}

/** Loads a product the principal may change, or the userError it gets (`field`: the id's input path). */
export async function writableProduct(em: EntityManager, principal: Principal, id: string, field: string[]): Promise<Result<IProduct>> {
  const product = await em.findOne(Product, { id });
  if (!product) return fail('NOT_FOUND', 'No such product', field);
  if (mayActOnEveryBrand(principal)) return ok(product);
  const carriers = await carriersOf(em, id);
  if (!carriers.some((s) => mayActOn(principal, s))) return fail('NOT_FOUND', 'No such product', field);
  if (!mayActOnAll(principal, carriers)) {
    return fail('FORBIDDEN', 'Other brands you do not manage also sell this product; ask staff granted all of them', field);
  }
  return ok(product);
}

/** The storefronts a new product goes into: as given, else the request's brand (only the all-brands grant creates unassigned products). */
export function targetStorefronts(principal: Principal, given: string[] | null | undefined): string[] {
  if (given?.length || mayActOnEveryBrand(principal)) return given ?? [];
  return principal.storefrontId ? [principal.storefrontId] : [];
}

export const categoryWriteRefused = () =>
  fail('FORBIDDEN', 'Categories are shared by every brand: writing them needs the all-brands grant', ['input']);
