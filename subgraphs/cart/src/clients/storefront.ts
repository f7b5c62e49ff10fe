import type { Principal, SubgraphTarget } from '@dcrm/kit';

/** The caller's storefront currency, asked of the catalog (it owns storefronts): a new cart is priced in it. */
export async function storefrontCurrency(catalog: SubgraphTarget, principal: Principal): Promise<string> {
  const response = await catalog.execute({ query: '{ storefront { currencyCode } }' }, principal);
  const code = (response.data?.storefront as { currencyCode?: string } | null)?.currencyCode;
  if (!code) throw new Error('catalog: no storefront currency');
  return code;
}
