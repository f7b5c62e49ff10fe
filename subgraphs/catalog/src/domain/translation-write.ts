import { Checks, canonicalLocale, fail, mayActOnEveryBrand, ok, type Principal, removeTranslations, writeTranslations } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Category } from '../entities/index.js';
import type { CategoryView, ProductView } from '../entities/views.js';
import { categoryWriteRefused, writableProduct } from './brand-scope.js';
import type { ErrorCode, Result } from './catalog.errors.js';
import { attributeLabelField, imageAltField } from './product-texts.js';
import { toProductView } from './product-write.js';

/**
 * Staff writes of product and category texts per locale. Brand rules are the subject's own: a
 * product's texts change only where the product itself may (every brand selling it is granted), a
 * category's only with the all-brands grant (the taxonomy is shared).
 */
export type TextsInput = { locale: string; name?: string | null; description?: string | null };

/** A product's texts: besides name and description, its attribute labels and image alt texts. */
export type ProductTextsInput = TextsInput & {
  productId: string;
  attributeLabels?: { key: string; label: string }[] | null;
  imageAltTexts?: { url: string; altText: string }[] | null;
};

const LIMITS = { name: 255, description: 5000, label: 80, altText: 255, attributeLabels: 50, imageAltTexts: 20 } as const;

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
  input: ProductTextsInput,
): Promise<Result<ProductView>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.productId, ['input', 'productId']);
  const locale = checkTexts(input, checks);
  checkParts(input, checks);
  if (!checks.ok || !locale) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const product = await writableProduct(tx, principal, input.productId, ['input', 'productId']);
    if (!product.ok) return product;
    const view = toProductView(product.value);
    const parts = partFields(input, view, checks);
    if (!checks.ok) return { ok: false, errors: checks.errors };
    await writeTranslations(tx, { subject: 'product', subjectId: input.productId, locale, fields: { ...fieldsOf(input), ...parts } });
    return ok(view);
  });
}

/** Sizes and duplicates of the attribute labels and image alt texts, before anything is read. */
function checkParts(input: ProductTextsInput, checks: Checks): void {
  const lists = [
    ['attributeLabels', input.attributeLabels, 'key', 'label'],
    ['imageAltTexts', input.imageAltTexts, 'url', 'altText'],
  ] as const;
  for (const [name, list, key, text] of lists) {
    if (!list) continue;
    if (list.length > LIMITS[name]) checks.add('TOO_MANY', `At most ${LIMITS[name]}`, ['input', name]);
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const id = (item as Record<string, string>)[key];
      if (seen.has(id)) checks.add('DUPLICATE', `${id} is given twice`, ['input', name, String(i), key]);
      seen.add(id);
      if ((item as Record<string, string>)[text].length > LIMITS[text])
        checks.add('TOO_LONG', `At most ${LIMITS[text]} characters`, ['input', name, String(i), text]);
    });
  }
}

/** The translation fields of the labels and alt texts, each naming one of the product's own attributes or images. */
function partFields(input: ProductTextsInput, product: ProductView, checks: Checks): Record<string, string> {
  const fields: Record<string, string> = {};
  const keys = new Set(product.attributes.map((a) => a.key));
  input.attributeLabels?.forEach((a, i) => {
    if (keys.has(a.key)) fields[attributeLabelField(a.key)] = a.label;
    else checks.add('NOT_FOUND', 'The product has no attribute with this key', ['input', 'attributeLabels', String(i), 'key']);
  });
  const urls = new Set(product.images.map((img) => img.url));
  input.imageAltTexts?.forEach((img, i) => {
    if (urls.has(img.url)) fields[imageAltField(img.url)] = img.altText;
    else checks.add('NOT_FOUND', 'The product has no image with this URL', ['input', 'imageAltTexts', String(i), 'url']);
  });
  return fields;
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
