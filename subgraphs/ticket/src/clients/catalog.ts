import { answerError, type Peers, type Principal } from '@dcrm/kit';

const LOCALE = 'query TicketStorefrontLocale { storefront { locale } }';

/**
 * The locale of the caller's storefront (the catalog owns it), asked as the caller: the knowledge base
 * shows customers and shoppers the articles of that locale unless they name one.
 */
export async function storefrontLocale(peers: Peers, principal: Principal): Promise<string | null> {
  const response = await peers('catalog').execute({ query: LOCALE }, principal);
  if (response.errors?.length) throw answerError('catalog', response.errors);
  return (response.data?.storefront as { locale?: string } | null)?.locale ?? null;
}
