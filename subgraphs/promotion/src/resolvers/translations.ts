import { payload } from '@dcrm/kit';
import { promotionTranslationsRemove, promotionTranslationsSet } from '../domain/promotion-texts.js';
import type { PromotionResolvers } from './context.js';

/** Promotion names and descriptions in the request's language, and staff's writes of them. */
export const translationResolvers: PromotionResolvers = {
  Mutation: {
    promotionTranslationsSet: async (_, { input }, ctx) =>
      payload('promotion', await promotionTranslationsSet(ctx.em, ctx.principal, input)),
    promotionTranslationsRemove: async (_, { input }, ctx) =>
      payload('promotion', await promotionTranslationsRemove(ctx.em, ctx.principal, input)),
  },
  Promotion: {
    name: (p, _, ctx) => ctx.loaders.text('promotion', p.id, 'name', p.name),
    description: (p, _, ctx) => ctx.loaders.text('promotion', p.id, 'description', p.description ?? null),
    translations: (p, _, ctx) => ctx.loaders.translations.load(p.id),
  },
};
