import type { Principal, SubgraphTarget } from '@dcrm/kit';

/** The caller's storefront currency, asked of the catalog (it owns storefronts): a new cart is priced in it. */
export async function storefrontCurrency(catalog: SubgraphTarget, principal: Principal): Promise<string> {
  const response = await catalog.execute({ query: '{ storefront { currencyCode } }' }, principal);
  const code = (response.data?.storefront as { currencyCode?: string } | null)?.currencyCode;
  if (!code) throw new Error('catalog: no storefront currency');
  return code;
}

/** The caller's storefront currency and calendar time zone (spend budgets are in the one and follow the other). */
export async function storefrontBudgetFacts(
  catalog: SubgraphTarget,
  principal: Principal,
): Promise<{ currencyCode: string; timeZone: string }> {
  const response = await catalog.execute({ query: '{ storefront { currencyCode timeZone } }' }, principal);
  const facts = response.data?.storefront as { currencyCode?: string; timeZone?: string } | null;
  if (!facts?.currencyCode || !facts.timeZone) throw new Error('catalog: no storefront currency or time zone');
  return { currencyCode: facts.currencyCode, timeZone: facts.timeZone };
}
