import { Checks, canonicalLocale, fail, mayActOnEveryBrand, ok, type Principal, removeTranslations, writeTranslations } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Category } from '../entities/index.js';
import type { CategoryView, ProductView } from '../entities/views.js';
import { categoryWriteRefused, writableProduct } from './brand-scope.js';
import type { ErrorCode, Result } from './catalog.errors.js';
import { toProductView } from './product-write.js';

/**
 * Staff writes of product and category texts per locale. Brand rules are the subject's own: a
 * product's texts change only where the product itself may (every brand selling it is granted), a
 * category's only with the all-brands grant (the taxonomy is shared).
 */
export type TextsInput = { locale: string; name?: string | null; description?: string | null };

const LIMITS = { name: 255, description: 5000 } as const;

function checkTexts(input: TextsInput, checks: Checks<ErrorCode>): string | null {
  const locale = canonicalLocale(input.locale);
  if (!locale) checks.add('INVALID', 'Use a BCP 47 locale such as fr or de-CH', ['input', 'locale']);
  for (const field of ['name', 'description'] as const) {
    const value = input[field];
    if (value != null && value.length > LIMITS[field]) checks.add('TOO_LONG', `At most ${LIMITS[field]} characters`, ['input', field]);
  }
  return locale;
}

const fieldsOf = (input: TextsInput) => ({ name: input.name ?? undefined, description: input.description ?? undefined });

export async function productTranslationsSet(
  em: EntityManager,
  principal: Principal,
  input: TextsInput & { productId: string },
): Promise<Result<ProductView>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.productId, ['input', 'productId']);
  const locale = checkTexts(input, checks);
  if (!checks.ok || !locale) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const product = await writableProduct(tx, principal, input.productId, ['input', 'productId']);
    if (!product.ok) return product;
    await writeTranslations(tx, { subject: 'product', subjectId: input.productId, locale, fields: fieldsOf(input) });
    return ok(toProductView(product.value));
  });
}

export async function productTranslationsRemove(
  em: EntityManager,
  principal: Principal,
  input: { productId: string; locale: string },
): Promise<Result<ProductView>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.productId, ['input', 'productId']);
  const locale = checkTexts({ locale: input.locale }, checks);
  if (!checks.ok || !locale) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const product = await writableProduct(tx, principal, input.productId, ['input', 'productId']);
    if (!product.ok) return product;
    await removeTranslations(tx, 'product', input.productId, locale);
    return ok(toProductView(product.value));
  });
}

async function writableCategory(em: EntityManager, principal: Principal, id: string): Promise<Result<CategoryView>> {
  if (!mayActOnEveryBrand(principal)) return categoryWriteRefused();
  const c = await em.findOne(Category, { id });
  if (!c) return fail('NOT_FOUND', 'No such category', ['input', 'categoryId']);
  return ok({ id: c.id, slug: c.slug, name: c.name, parentId: c.parent?.id ?? null, position: c.position });
}

export async function categoryTranslationsSet(
  em: EntityManager,
  principal: Principal,
  input: TextsInput & { categoryId: string },
): Promise<Result<CategoryView>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.categoryId, ['input', 'categoryId']);
  const locale = checkTexts(input, checks);
  if (!checks.ok || !locale) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const category = await writableCategory(tx, principal, input.categoryId);
    if (!category.ok) return category;
    await writeTranslations(tx, { subject: 'category', subjectId: input.categoryId, locale, fields: fieldsOf(input) });
    return category;
  });
}

export async function categoryTranslationsRemove(
  em: EntityManager,
  principal: Principal,
  input: { categoryId: string; locale: string },
): Promise<Result<CategoryView>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.categoryId, ['input', 'categoryId']);
  const locale = checkTexts({ locale: input.locale }, checks);
  if (!checks.ok || !locale) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const category = await writableCategory(tx, principal, input.categoryId);
    if (!category.ok) return category;
    await removeTranslations(tx, 'category', input.categoryId, locale);
    return category;
  });
}
