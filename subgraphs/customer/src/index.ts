import { createSubgraphServer, jwtSecret, loadTypeDefs, openSignInGuard, type SubgraphDefinition } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { migrations } from '../migrations/index.js';
import { channelAdapters } from './domain/notifications/adapters.js';
import type { CustomerServices } from './domain/services.js';
import { entities } from './entities/index.js';
import { createLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { seedCustomers } from './seed/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

/** The customer subgraph: accounts and the 360° view, staff, partners, API keys, sign-in, NPS. */
export const customerSubgraph: SubgraphDefinition = {
  name: 'customer',
  typeDefs,
  entities,
  migrations,
  // Not audited: sessions (refresh tokens) and inbox messages, themselves the sent history.
  auditExclude: ['RefreshToken', 'SiteMessage'],
  seed: (em: EntityManager, options) => seedCustomers(em, options),
  // It signs customers', staff and partners' access tokens.
  secrets: ['DCRM_JWT_SECRET'],
  create: ({ orm, secret, bus, peers, subgraphs }) => {
    const services: CustomerServices = {
      bus,
      signInGuard: openSignInGuard(),
      jwtSecret: jwtSecret(),
      staffPasswordMaxAgeDays: Number(process.env.DCRM_STAFF_PASSWORD_MAX_AGE_DAYS ?? 90),
      audit: { self: 'customer', subgraphs, peers },
      notificationAdapters: channelAdapters(),
    };
    return createSubgraphServer({
      name: 'customer',
      typeDefs,
      resolvers,
      orm,
      secret,
      createLoaders,
      services,
      onStop: async () => services.notificationAdapters.EMAIL.close?.(),
    });
  },
};
