import { addJob, createSubgraphServer, loadTypeDefs, type SubgraphDefinition, startJobs } from '@dcrm/kit';
import { migrations } from '../migrations/index.js';
import { CRONTAB, ticketTasks } from './domain/jobs.js';
import { notifyRules } from './domain/notify-rules.js';
import type { TicketServices } from './domain/services.js';
import { entities } from './entities/index.js';
import { createTicketLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));
export { CRONTAB };

/** The ticket subgraph: customer and partner trouble tickets (TMF621). */
export const ticketSubgraph: SubgraphDefinition = {
  name: 'ticket',
  typeDefs,
  entities,
  migrations,
  // Not audited: the status history is a record of its own (actor, time, reason); deflections are
  // counters written by shoppers, not business changes.
  auditExclude: ['TicketStatusChange', 'ArticleDeflection'],
  notifyRules,
  seed,
  create: async ({ orm, secret, bus, peers, clock }) => {
    const services: TicketServices = { peers, bus, clock, addJob: (db, task, payload, options) => addJob(db, task, payload, options) };
    const tasks = ticketTasks(orm, services);
    // Every instance runs a worker; graphile-worker claims each job once. DCRM_JOBS=off for tests.
    // Mutations queue jobs (automatic closure) inside their transactions whether or not this instance runs a worker.
    const runner = await startJobs({
      databaseUrl: orm.config.get('clientUrl') as string,
      taskList: tasks,
      crontab: CRONTAB,
      concurrency: 1,
      component: 'ticket jobs',
    });
    return createSubgraphServer({
      name: 'ticket',
      typeDefs,
      resolvers,
      orm,
      secret,
      services,
      createLoaders: (em, principal) => createTicketLoaders(em, principal, services),
      onStop: async () => runner?.stop(),
      // Tests call handlers directly, with the payload a job would carry.
      tasks: Object.fromEntries(
        Object.entries(tasks).map(([name, run]) => [name, (payload?: unknown) => run((payload ?? {}) as never, { attempts: 1 })]),
      ),
    });
  },
};
