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
export const imageAltField = (url: string): string => `alt:${createHash('sha256').update(url).digest('hex').slice(0, 32)}`;

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
