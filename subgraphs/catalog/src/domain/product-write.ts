import { Checks, fail, mayActOn, ok, type Principal } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type AttributeData,
  BundleItem,
  Category,
  type ImageData,
  type IProduct,
  Product,
  ProductAddon,
  type ProductKind,
  type ProductStatus,
  Storefront,
  StorefrontProduct,
} from '../entities/index.js';
import type { ProductView } from '../entities/views.js';
import { knownProducts, targetStorefronts, writableProduct } from './brand-scope.js';
import type { ErrorCode, Result } from './catalog.errors.js';

/** Product lifecycle as data: which status may follow which. */
export const PRODUCT_TRANSITIONS: Record<ProductStatus, ProductStatus[]> = {
  DRAFT: ['ACTIVE', 'ARCHIVED'],
  ACTIVE: ['DRAFT', 'ARCHIVED'],
  ARCHIVED: ['DRAFT'],
};

export type ProductFields = {
  slug?: string | null;
  name?: string | null;
  description?: string | null;
  categoryId?: string | null;
  attributes?: AttributeData[] | null;
  images?: ImageData[] | null;
  compatibleAddonIds?: string[] | null;
  bundleItemIds?: string[] | null;
  status?: ProductStatus | null;
};
export type ProductCreate = ProductFields & {
  slug: string;
  name: string;
  kind: ProductKind;
  description: string;
  storefrontIds?: string[] | null;
};
export type ProductUpdate = ProductFields & { id: string };

const field = (name: string, ...rest: string[]) => ['input', name, ...rest];

export function toProductView(p: IProduct): ProductView {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    kind: p.kind,
    status: p.status,
    description: p.description,
    categoryId: p.category?.id ?? null,
    attributes: p.attributes,
    images: p.images,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

function checkShape(input: ProductFields, checks: Checks<ErrorCode>): void {
  checks.slug(input.slug, field('slug'));
  checks.text(input.name, field('name'), 255);
  checks.text(input.description, field('description'), 5000, false);
  checks.uuid(input.categoryId, field('categoryId'));
  checks.uuids(input.compatibleAddonIds, field('compatibleAddonIds'));
  checks.uuids(input.bundleItemIds, field('bundleItemIds'));
  if (input.attributes) {
    if (input.attributes.length > 50) checks.add('TOO_MANY', 'At most 50 attributes', field('attributes'));
    const keys = new Set<string>();
    input.attributes.forEach((a, i) => {
      if (!/^[a-zA-Z][a-zA-Z0-9]{0,39}$/.test(a.key))
        checks.add('INVALID', 'Attribute keys are camelCase identifiers', field('attributes', String(i), 'key'));
      if (keys.has(a.key)) checks.add('DUPLICATE', `Attribute ${a.key} is given twice`, field('attributes', String(i), 'key'));
      keys.add(a.key);
      checks.text(a.label, field('attributes', String(i), 'label'), 80);
      checks.text(a.value, field('attributes', String(i), 'value'), 255);
    });
  }
  if (input.images) {
    if (input.images.length > 20) checks.add('TOO_MANY', 'At most 20 images', field('images'));
    input.images.forEach((img, i) => {
      checks.url(img.url, field('images', String(i), 'url'));
      checks.text(img.altText, field('images', String(i), 'altText'), 255, false);
    });
  }
}

/** References must exist, be known to the caller's brands and have the right kind; all looked up before anything is written. */
async function checkReferences(
  em: EntityManager,
  principal: Principal,
  input: ProductFields,
  kind: ProductKind,
  selfId: string | null,
  checks: Checks<ErrorCode>,
): Promise<void> {
  if (!checks.ok) return;
  if (input.categoryId && !(await em.count(Category, { id: input.categoryId }))) {
    checks.add('NOT_FOUND', 'No such category', field('categoryId'));
  }
  const addonIds = input.compatibleAddonIds ?? [];
  if (addonIds.length) {
    const known = await knownProducts(em, principal, addonIds);
    const found = await em.find(Product, { id: { $in: [...known] } }, { fields: ['id', 'kind'] });
    const kinds = new Map(found.map((p) => [p.id, p.kind]));
    addonIds.forEach((id, i) => {
      if (id === selfId) checks.add('INVALID', 'A product is not its own add-on', field('compatibleAddonIds', String(i)));
      else if (!kinds.has(id)) checks.add('NOT_FOUND', 'No such product', field('compatibleAddonIds', String(i)));
      else if (kinds.get(id) !== 'ADDON')
        checks.add('INVALID', 'Only ADDON products can be compatible add-ons', field('compatibleAddonIds', String(i)));
    });
  }
  const itemIds = input.bundleItemIds ?? [];
  if (itemIds.length && kind !== 'BUNDLE') checks.add('INVALID', 'Only bundles have items', field('bundleItemIds'));
  else if (itemIds.length) {
    const found = await knownProducts(em, principal, itemIds);
    itemIds.forEach((id, i) => {
      if (id === selfId) checks.add('INVALID', 'A bundle does not contain itself', field('bundleItemIds', String(i)));
      else if (!found.has(id)) checks.add('NOT_FOUND', 'No such product', field('bundleItemIds', String(i)));
    });
  }
}

async function writeRelations(em: EntityManager, product: IProduct, input: ProductFields): Promise<void> {
  if (input.compatibleAddonIds) {
    await em.nativeDelete(ProductAddon, { product: product.id });
    for (const id of input.compatibleAddonIds) em.create(ProductAddon, { product, addon: em.getReference(Product, id) });
  }
  if (input.bundleItemIds) {
    await em.nativeDelete(BundleItem, { bundle: product.id });
    for (const id of input.bundleItemIds) em.create(BundleItem, { bundle: product, item: em.getReference(Product, id) });
  }
}

async function commit(em: EntityManager, work: (tx: EntityManager) => Promise<IProduct>): Promise<Result<ProductView>> {
  try {
    return ok(toProductView(await em.transactional((tx) => work(tx as EntityManager))));
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return fail('TAKEN', 'Slug is already in use', field('slug'));
    throw error;
  }
}

export async function productCreate(em: EntityManager, principal: Principal, input: ProductCreate): Promise<Result<ProductView>> {
  const checks = new Checks<ErrorCode>();
  checkShape(input, checks);
  checks.uuids(input.storefrontIds, field('storefrontIds'));
  if (input.status === 'ARCHIVED') checks.add('INVALID', 'A new product is DRAFT or ACTIVE', field('status'));
  await checkReferences(em, principal, input, input.kind, null, checks);
  const storefrontIds = [...new Set(targetStorefronts(principal, input.storefrontIds))];
  // Another brand's storefront answers like an unknown one.
  const granted = storefrontIds.every((id) => mayActOn(principal, id));
  const unknown =
    !granted || (storefrontIds.length > 0 && (await em.count(Storefront, { id: { $in: storefrontIds } })) !== storefrontIds.length);
  if (checks.ok && unknown) {
    checks.add('NOT_FOUND', 'No such storefront', field('storefrontIds'));
  }
  if (checks.ok && (await em.count(Product, { slug: input.slug }))) checks.add('TAKEN', 'Slug is already in use', field('slug'));
  if (!checks.ok) return { ok: false, errors: checks.errors };

  return commit(em, async (tx) => {
    const product = tx.create(Product, {
      slug: input.slug,
      name: input.name.trim(),
      kind: input.kind,
      status: input.status ?? 'DRAFT',
      description: input.description.trim(),
      category: input.categoryId ? tx.getReference(Category, input.categoryId) : null,
      attributes: input.attributes ?? [],
      images: input.images ?? [],
    });
    await writeRelations(tx, product, input);
    for (const storefrontId of storefrontIds) {
      // Appended at the end of the storefront's merchandising order.
      const [{ next }] = await tx.execute(
        'select coalesce(max(position), -1) + 1 as next from "catalog"."storefront_product" where storefront_id = ?',
        [storefrontId],
      );
      tx.create(StorefrontProduct, { storefront: tx.getReference(Storefront, storefrontId), product, position: next as number });
    }
    return product;
  });
}

export async function productUpdate(em: EntityManager, principal: Principal, input: ProductUpdate): Promise<Result<ProductView>> {
  const checks = new Checks<ErrorCode>();
  if (!checks.uuid(input.id, field('id'))) return { ok: false, errors: checks.errors };
  const found = await writableProduct(em, principal, input.id, field('id'));
  if (!found.ok) return found;
  const product = found.value;
  checkShape(input, checks);
  if (input.status && input.status !== product.status && !PRODUCT_TRANSITIONS[product.status as ProductStatus].includes(input.status)) {
    checks.add('INVALID_TRANSITION', `A ${product.status} product cannot become ${input.status}`, field('status'));
  }
  await checkReferences(em, principal, input, product.kind, product.id, checks);
  if (checks.ok && input.slug && input.slug !== product.slug && (await em.count(Product, { slug: input.slug }))) {
    checks.add('TAKEN', 'Slug is already in use', field('slug'));
  }
  if (!checks.ok) return { ok: false, errors: checks.errors };

  return commit(em, async (tx) => {
    const p = await tx.findOneOrFail(Product, { id: input.id });
    if (input.slug) p.slug = input.slug;
    if (input.name) p.name = input.name.trim();
    if (input.description != null) p.description = input.description.trim();
    if (input.categoryId !== undefined) p.category = input.categoryId ? tx.getReference(Category, input.categoryId) : null;
    if (input.attributes) p.attributes = input.attributes;
    if (input.images) p.images = input.images;
    if (input.status) p.status = input.status;
    p.updatedAt = new Date();
    await writeRelations(tx, p, input);
    return p;
  });
}

export async function productArchive(em: EntityManager, principal: Principal, id: string): Promise<Result<ProductView>> {
  return productUpdate(em, principal, { id, status: 'ARCHIVED' });
}
