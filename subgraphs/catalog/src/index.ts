import { createSubgraphServer, loadTypeDefs, type SubgraphDefinition } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { migrations } from '../migrations/index.js';
import { announceChanges } from './domain/changes.js';
import { entities } from './entities/index.js';
import { createLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { seedCatalog } from './seed/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url), { bulk: true });

/** The catalog subgraph: storefronts (brands), categories, products, prices, stores. */
export const catalogSubgraph: SubgraphDefinition = {
  name: 'catalog',
  typeDefs,
  entities,
  migrations,
  seed: (em: EntityManager, options) => seedCatalog(em, options),
  create: ({ orm, secret, peers, bus }) =>
    createSubgraphServer({
      name: 'catalog',
      typeDefs,
      resolvers,
      orm,
      secret,
      createLoaders,
      services: { peers, bus },
      plugins: [announceChanges(bus)],
    }),
};
