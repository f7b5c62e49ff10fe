import type { Peers, SubgraphContext } from '@dcrm/kit';
import type { CatalogLoaders } from '../loaders.js';

/** Other subgraphs, asked as the caller (an account a price list names must be visible to them). */
export type CatalogServices = { peers: Peers };

export type CatalogContext = SubgraphContext<CatalogLoaders, CatalogServices>;
