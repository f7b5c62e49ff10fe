import { createSubgraphServer, loadTypeDefs, type SubgraphDefinition } from '@dcrm/kit';
import { migrations } from '../migrations/index.js';
import type { QuoteServices } from './domain/services.js';
import { entities } from './entities/index.js';
import { createQuoteLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

/** The quote subgraph: quotes for customers and prospects, priced from the catalog (TMF648 Quote). */
export const quoteSubgraph: SubgraphDefinition = {
  name: 'quote',
  typeDefs,
  entities,
  migrations,
  seed,
  create: async ({ orm, secret, bus, peers, clock }) => {
    const services: QuoteServices = { peers, bus, clock };
    return createSubgraphServer({
      name: 'quote',
      typeDefs,
      resolvers,
      orm,
      secret,
      services,
      createLoaders: (em, principal) => createQuoteLoaders(em, principal, services),
    });
  },
};
