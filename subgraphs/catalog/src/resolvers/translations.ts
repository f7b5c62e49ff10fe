import { payload, thenNow } from '@dcrm/kit';
import { translatedAttributes, translatedImages } from '../domain/product-texts.js';
import {
  categoryTranslationsRemove,
  categoryTranslationsSet,
  productTranslationsRemove,
  productTranslationsSet,
} from '../domain/translation-write.js';
import type { CatalogResolvers } from './context.js';

/** Product and category texts in the request's language (kit `requestTexts`), and staff's writes of them. */
export const translationResolvers: CatalogResolvers = {
  Mutation: {
    productTranslationsSet: async (_, { input }, ctx) => payload('product', await productTranslationsSet(ctx.em, ctx.principal, input)),
    productTranslationsRemove: async (_, { input }, ctx) =>
      payload('product', await productTranslationsRemove(ctx.em, ctx.principal, input)),
    categoryTranslationsSet: async (_, { input }, ctx) => payload('category', await categoryTranslationsSet(ctx.em, ctx.principal, input)),
    categoryTranslationsRemove: async (_, { input }, ctx) =>
      payload('category', await categoryTranslationsRemove(ctx.em, ctx.principal, input)),
  },
  Product: {
    name: (p, _, ctx) => ctx.loaders.texts.text('product', p.id, 'name', p.name),
    description: (p, _, ctx) => ctx.loaders.texts.text('product', p.id, 'description', p.description),
    attributes: (p, _, ctx) => translatedAttributes(ctx.loaders.texts, p),
    images: (p, _, ctx) => translatedImages(ctx.loaders.texts, p),
    translations: (p, _, ctx) => ctx.loaders.texts.all.product.load(p.id),
  },
  Category: {
    name: (c, _, ctx) => thenNow(ctx.loaders.texts.category(c.id, 'name', c.name), (name) => name ?? c.name),
    description: (c, _, ctx) => ctx.loaders.texts.category(c.id, 'description', null),
    translations: (c, _, ctx) => ctx.loaders.texts.all.category.load(c.id),
  },
};
