import type { EventBus, Peers, SubgraphContext } from '@dcrm/kit';
import type { CatalogLoaders } from '../loaders.js';

/** Other subgraphs, asked as the caller (an account a price list names must be visible to them); the bus, for routers' CORS caches. */
export type CatalogServices = { peers: Peers; bus: EventBus };

export type CatalogContext = SubgraphContext<CatalogLoaders, CatalogServices>;

/** The resolver map's type, generated from schema.graphql (`pnpm compose`): every resolver module is typed by it. */
export type { Resolvers as CatalogResolvers } from '../generated/resolvers.js';
