import { createSubgraphServer, loadTypeDefs, type SubgraphDefinition } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { migrations } from '../migrations/index.js';
import { openCaptureLimits } from './domain/capture-limits.js';
import { deriveLeadsOn } from './domain/lead-derive.js';
import type { OpportunityServices } from './domain/services.js';
import { startWorkJobs } from './domain/work/jobs.js';
import { entities } from './entities/index.js';
import { createOpportunityLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed/index.js';

/** Periodic work (outbox, notifications) for the job runner to schedule; tests call it directly. */
export { runPeriodic } from './domain/periodic.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url), { bulk: true });

/** The opportunity subgraph: leads from every channel and the sales pipeline (TMF699 Sales Management). */
export const opportunitySubgraph: SubgraphDefinition = {
  name: 'opportunity',
  typeDefs,
  entities,
  migrations,
  // Not audited: the domain-event outbox, and the stage history (itself a record of changes).
  auditExclude: ['Outbox', 'OpportunityHistory'],
  // Demo leads get their keys and scores like any other (the seed may run before `create`).
  seed: (em, options) => {
    deriveLeadsOn(em);
    return seed(em, options);
  },
  create: async ({ orm, secret, bus, peers, clock }) => {
    const services: OpportunityServices = { peers, bus, clock, captureLimits: openCaptureLimits() };
    // Keys, score and duplicate flag of every lead written, in the flush that writes it (once per ORM).
    deriveLeadsOn(orm.em);
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
      onStop: async () => {
        await jobs.stop();
        await services.captureLimits.close();
      },
      tasks: jobs.tasks,
    });
  },
};
