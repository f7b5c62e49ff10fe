import { createSubgraphServer, jwtSecret, loadTypeDefs, openSignInGuard, type SubgraphDefinition } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { migrations } from '../migrations/index.js';
import type { CustomerServices } from './domain/services.js';
import { parseSsoGroupMap } from './domain/sso-groups.js';
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
  seed: (em: EntityManager, options) => seedCustomers(em, options),
  // It signs customers', staff and partners' access tokens.
  secrets: ['DCRM_JWT_SECRET'],
  create: ({ orm, secret, bus }) => {
    const services: CustomerServices = {
      bus,
      signInGuard: openSignInGuard(),
      jwtSecret: jwtSecret(),
      staffPasswordMaxAgeDays: Number(process.env.DCRM_STAFF_PASSWORD_MAX_AGE_DAYS ?? 90),
      ssoGroupMap: parseSsoGroupMap(process.env.DCRM_SSO_GROUP_MAP),
    };
    return createSubgraphServer({ name: 'customer', typeDefs, resolvers, orm, secret, createLoaders, services });
  },
};
