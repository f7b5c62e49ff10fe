import { answerError, type Principal, type SubgraphTarget } from '@dcrm/kit';

/** What a quote document shows of its brand. */
export type Brand = {
  name: string;
  theme: { primaryColor: string; secondaryColor: string; accentColor: string; logoUrl: string; fontFamily: string };
};

/** The request's storefront name and theme as the catalog knows them, asked as the caller. */
export async function brandOf(catalog: SubgraphTarget, principal: Principal): Promise<Brand> {
  const response = await catalog.execute(
    { query: 'query QuoteBrand { storefront { name theme { primaryColor secondaryColor accentColor logoUrl fontFamily } } }' },
    principal,
  );
  if (response.errors?.length) throw answerError('catalog', response.errors);
  const storefront = response.data?.storefront as Brand | null | undefined;
  if (!storefront) throw answerError('catalog', [{ message: 'no storefront' }]);
  return storefront;
}
