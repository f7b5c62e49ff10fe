import { entitiesOf, type Peers, type Principal } from '@dcrm/kit';

// Calls to the catalog subgraph, as the caller: it answers only within the caller's storefront.

/** Which of these products `principal` may see (null in place of the others), in order. */
export const visibleProducts = (peers: Peers, principal: Principal, ids: readonly string[]): Promise<({ id: string } | null)[]> =>
  entitiesOf<{ id: string }>(peers('catalog'), principal, 'Product', 'id', ids);
