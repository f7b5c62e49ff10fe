import { addJob, addJobs, createSubgraphServer, forgetOnCatalogChange, loadTypeDefs, type SubgraphDefinition, startJobs } from '@dcrm/kit';
import { migrations } from '../migrations/index.js';
import { keptProducts } from './clients/catalog.js';
import { startEventConsumers } from './domain/consumers.js';
import { closeDecisioning, createDecisioning } from './domain/decisioning/index.js';
import { startDecisionStream } from './domain/decisioning/stream.js';
import { CRONTAB, promotionTasks } from './domain/jobs.js';
import type { PromotionServices } from './domain/services.js';
import { entities } from './entities/index.js';
import { createPromotionLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));
export { CRONTAB };

/** The promotion subgraph: promotions, campaigns, personalised and real-time offers. */
export const promotionSubgraph: SubgraphDefinition = {
  name: 'promotion',
  typeDefs,
  entities,
  migrations,
  seed,
  create: async ({ orm, secret, bus, peers, clock }) => {
    const services: PromotionServices = {
      peers,
      bus,
      clock,
      addJob: (db, task, payload, options) => addJob(db, task, payload, options),
      addJobs: (db, specs) => addJobs(db, specs),
    };
    const products = keptProducts();
    services.products = products;
    const followCatalog = await forgetOnCatalogChange(bus, products, 'promotion');
    const tasks = promotionTasks(orm, services);
    // Every instance runs a worker; graphile-worker claims each job once. DCRM_JOBS=off for tests.
    // Mutations queue jobs (campaign schedules) whether or not this instance runs a worker.
    const runner = await startJobs({
      databaseUrl: orm.config.get('clientUrl') as string,
      taskList: tasks,
      crontab: CRONTAB,
      concurrency: 2,
      component: 'promotion jobs',
    });
    const stopConsumers = await startEventConsumers(orm, services);
    const decisioning = createDecisioning(orm, services);
    services.decisioning = decisioning;
    // The event stream (README: "Wiring a mediation or charging system"): every instance joins its consumer group.
    const stream =
      process.env.REDIS_URL && process.env.DCRM_DECISION_STREAM !== 'off'
        ? await startDecisionStream(decisioning, process.env.REDIS_URL, { stream: process.env.DCRM_EVENTS_STREAM || undefined })
        : null;
    const server = await createSubgraphServer({
      name: 'promotion',
      typeDefs,
      resolvers,
      orm,
      secret,
      services,
      createLoaders: (em, principal) => createPromotionLoaders(em, principal, services),
      onStop: async () => {
        await stream?.stop();
        // Bus events in flight are decided before the decision path closes.
        await stopConsumers();
        await closeDecisioning(decisioning);
        await runner?.stop();
        await followCatalog();
      },
      // Tests call handlers directly, with the payload a job would carry.
      tasks: Object.fromEntries(
        Object.entries(tasks).map(([name, run]) => [name, (payload?: unknown) => run((payload ?? {}) as never, { attempts: 1 })]),
      ),
    });
    decisioning.metrics.register(server.metrics);
    return server;
  },
};
