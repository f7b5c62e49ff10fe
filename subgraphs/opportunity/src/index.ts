import { createSubgraphServer, loadTypeDefs, type SubgraphDefinition } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { migrations } from '../migrations/index.js';
import type { OpportunityServices } from './domain/services.js';
import { startWorkJobs } from './domain/work/jobs.js';
import { entities } from './entities/index.js';
import { createOpportunityLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

/** The opportunity subgraph: leads from every channel and the sales pipeline (TMF699 Sales Management). */
export const opportunitySubgraph: SubgraphDefinition = {
  name: 'opportunity',
  typeDefs,
  entities,
  migrations,
  // Not audited: the domain-event outbox, and the stage history (itself a record of changes).
  auditExclude: ['Outbox', 'OpportunityHistory'],
  seed,
  create: async ({ orm, secret, bus, peers, clock }) => {
    const services: OpportunityServices = { peers, bus, clock };
    // Escalation jobs (domain/work/jobs.ts): queued by writes, run by every instance's worker.
    const jobs = await startWorkJobs(orm.config.get('clientUrl') as string, () => orm.em.fork() as EntityManager, services);
    return createSubgraphServer({
      name: 'opportunity',
      typeDefs,
      resolvers,
      orm,
      secret,
      services,
      createLoaders: (em, principal) => createOpportunityLoaders(em, principal, services),
      onStop: jobs.stop,
      tasks: jobs.tasks,
    });
  },
};
