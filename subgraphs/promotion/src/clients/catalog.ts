import { accessKey, createKept, entitiesOf, type Kept, type Peers, type Principal } from '@dcrm/kit';

// Calls to the catalog subgraph, always as the caller: it answers only within the caller's storefront.

export type ProductInfo = { id: string; name: string; status: string };

/**
 * Products as the catalog showed them, by whom it showed them to: an offer, a template's `{{product}}`
 * and a decision's action name the same few products again and again. Emptied on every catalog change
 * (kit `forgetOnCatalogChange`); a product not found is asked again.
 */
export type KeptProducts = Kept<ProductInfo | null>;

export const keptProducts = (): KeptProducts => createKept({ ttlMs: 60_000, maxEntries: 10_000 });

/** A product of the caller's storefront as the catalog shows it to `principal`; null when not visible. */
export async function productOf(peers: Peers, principal: Principal, productId: string, kept?: KeptProducts): Promise<ProductInfo | null> {
  const read = async () => {
    const [product] = await entitiesOf<ProductInfo>(peers('catalog'), principal, 'Product', 'id name status', [productId]);
    return product;
  };
  if (!kept) return read();
  return kept.load(`${accessKey(principal)}\n${productId}`, read, (product) => product !== null);
}

/** Which of these products `principal` may see (null in place of the others). */
export const visibleProducts = (peers: Peers, principal: Principal, ids: string[]): Promise<({ id: string } | null)[]> =>
  entitiesOf<{ id: string }>(peers('catalog'), principal, 'Product', 'id', ids);

const CURRENCY = '{ storefront { currencyCode } }';

/** The currency of the caller's storefront. */
export async function storefrontCurrency(peers: Peers, principal: Principal): Promise<string> {
  const response = await peers('catalog').execute({ query: CURRENCY }, principal);
  const code = (response.data?.storefront as { currencyCode?: string } | null | undefined)?.currencyCode;
  if (!code) throw new Error('catalog: the storefront has no currency');
  return code;
}
