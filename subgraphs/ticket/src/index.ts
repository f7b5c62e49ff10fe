import { addJob, createSubgraphServer, ensureJobSchema, loadTypeDefs, type SubgraphDefinition } from '@dcrm/kit';
import { migrations } from '../migrations/index.js';
import type { TicketServices } from './domain/services.js';
import { entities } from './entities/index.js';
import { createTicketLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

/** The ticket subgraph: customer and partner trouble tickets (TMF621). */
export const ticketSubgraph: SubgraphDefinition = {
  name: 'ticket',
  typeDefs,
  entities,
  migrations,
  seed,
  // Deflections are counters written by shoppers, not business changes.
  auditExclude: ['ArticleDeflection'],
  create: async ({ orm, secret, bus, peers, clock }) => {
    const services: TicketServices = { peers, bus, clock, addJob: (db, task, payload, options) => addJob(db, task, payload, options) };
    // Mutations queue jobs inside their transactions: the job tables must exist whether or not a worker runs here.
    await ensureJobSchema(orm.config.get('clientUrl') as string);
    return createSubgraphServer({
      name: 'ticket',
      typeDefs,
      resolvers,
      orm,
      secret,
      services,
      createLoaders: (em, principal) => createTicketLoaders(em, principal, services),
    });
  },
};
