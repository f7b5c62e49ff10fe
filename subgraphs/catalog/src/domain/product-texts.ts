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

/** The attributes with their labels in the request's language (the product's texts are one loader entry). */
export function translatedAttributes(texts: CatalogTexts, product: Pick<ProductView, 'id' | 'attributes'>): Promise<AttributeData[]> {
  return Promise.all(
    product.attributes.map(async (a) => ({ ...a, label: await texts.text('product', product.id, attributeLabelField(a.key), a.label) })),
  );
}

/** The images with their alt texts in the request's language. */
export function translatedImages(texts: CatalogTexts, product: Pick<ProductView, 'id' | 'images'>): Promise<ImageData[]> {
  return Promise.all(
    product.images.map(async (i) => ({ ...i, altText: await texts.text('product', product.id, imageAltField(i.url), i.altText) })),
  );
}
