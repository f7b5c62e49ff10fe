import { answerError, type Principal, type SubgraphTarget } from '@dcrm/kit';

/** What a quote takes from its storefront: the currency it is priced in and the locale of promotion messages. */
export type StorefrontFacts = { currencyCode: string; locale: string | null };

/** The request's storefront as the catalog knows it, asked as the caller. */
export async function storefrontFacts(catalog: SubgraphTarget, principal: Principal): Promise<StorefrontFacts> {
  const response = await catalog.execute({ query: 'query QuoteStorefront { storefront { currencyCode locale } }' }, principal);
  if (response.errors?.length) throw answerError('catalog', response.errors);
  const storefront = response.data?.storefront as StorefrontFacts | null | undefined;
  if (!storefront) throw answerError('catalog', [{ message: 'no storefront' }]);
  return storefront;
}
