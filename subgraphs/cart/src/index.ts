import { createSubgraphServer, loadTypeDefs, type SubgraphDefinition, systemClock } from '@dcrm/kit';
import { migrations } from '../migrations/index.js';
import type { CartServices } from './domain/services.js';
import { noDiscounts } from './domain/totals.js';
import { entities } from './entities/index.js';
import { createCartLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));
export { ORDER_PLACED } from './domain/services.js';

/** The cart subgraph: carts, checkout, orders. */
export const cartSubgraph: SubgraphDefinition = {
  name: 'cart',
  typeDefs,
  entities,
  migrations,
  create: ({ orm, secret, bus, peers }) => {
    const services: CartServices = { peers, bus, clock: systemClock, discounts: noDiscounts };
    return createSubgraphServer({
      name: 'cart',
      typeDefs,
      resolvers,
      orm,
      secret,
      services,
      createLoaders: (em, principal) => createCartLoaders(em, principal, services),
    });
  },
};
