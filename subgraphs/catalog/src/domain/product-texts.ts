import { createHash } from 'node:crypto';
import type { AttributeData, ImageData } from '../entities/product.entity.js';
import type { ProductView } from '../entities/views.js';
import type { CatalogTexts } from '../loaders-texts.js';

/**
 * A product's translatable texts beyond its name and description, as fields of the product's
 * translation rows: an attribute's label by its key, an image's alt text by its URL (hashed to fit the
 * field; a replaced image drops its old translations rather than describing the new one wrongly).
 */
export const attributeLabelField = (key: string): string => `label:${key}`;
export function imageAltField(url: string): string {
  let field = altFields.get(url);
  if (field === undefined) {
    if (altFields.size >= ALT_FIELDS_KEPT) altFields.clear();
    field = `alt:${createHash('sha256').update(url).digest('hex').slice(0, 32)}`;
    altFields.set(url, field);
  }
  return field;
}

/**
 * Image URLs' alt-text fields, kept: every listing asks for each image's alt text, and hashing each URL
 * again was ~3 % of an all-in-one listing's CPU. Emptied when full (a catalogue's images, not a growing log).
 */
const altFields = new Map<string, string>();
const ALT_FIELDS_KEPT = 50_000;

/**
 * Each item with one of its texts in the request's language: plain when the product's texts are known
 * (read with its row), else one promise for all (the product's texts are one loader entry).
 */
function translatedList<T>(
  items: readonly T[],
  translate: (item: T) => string | Promise<string>,
  set: (item: T, text: string) => T,
): T[] | Promise<T[]> {
  const texts = items.map(translate);
  if (!texts.some((t) => t instanceof Promise)) return items.map((item, i) => set(item, texts[i] as string));
  return Promise.all(texts).then((all) => items.map((item, i) => set(item, all[i])));
}

/** The attributes with their labels in the request's language. */
export function translatedAttributes(
  texts: CatalogTexts,
  product: Pick<ProductView, 'id' | 'attributes'>,
): AttributeData[] | Promise<AttributeData[]> {
  return translatedList(
    product.attributes,
    (a) => texts.text('product', product.id, attributeLabelField(a.key), a.label),
    (a, label) => ({ ...a, label }),
  );
}

/** The images with their alt texts in the request's language. */
export function translatedImages(texts: CatalogTexts, product: Pick<ProductView, 'id' | 'images'>): ImageData[] | Promise<ImageData[]> {
  return translatedList(
    product.images,
    (i) => texts.text('product', product.id, imageAltField(i.url), i.altText),
    (i, altText) => ({ ...i, altText }),
  );
}
