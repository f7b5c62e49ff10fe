import { allTranslationsLoader, localeChain, memo, type Principal, requestTexts, type TranslationRow } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { Storefront } from './entities/index.js';

/**
 * Translated texts of products and categories for one request. The chain (request locale, its
 * language, the storefront's default locale, its language) is worked out once; each subject's texts
 * are one batched statement per page, whatever its size.
 */
export type CatalogTexts = {
  chain: () => Promise<string[]>;
  /** `field` of a product/category in the request's language, else `stored`. */
  text: ReturnType<typeof requestTexts>;
  /** Staff: every stored translation of a subject. */
  all: { product: DataLoader<string, TranslationRow[]>; category: DataLoader<string, TranslationRow[]> };
};

export function createTextLoaders(em: EntityManager, principal: Principal): CatalogTexts {
  const chain = memo(async () => {
    const storefront = principal.storefrontId ? await em.findOne(Storefront, { id: principal.storefrontId }, { fields: ['locale'] }) : null;
    return localeChain(principal.locale, storefront?.locale);
  });
  return {
    chain,
    text: requestTexts(em, 'catalog', chain),
    all: { product: allTranslationsLoader(em, 'catalog', 'product'), category: allTranslationsLoader(em, 'catalog', 'category') },
  };
}
