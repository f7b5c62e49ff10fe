import { addJob, createSubgraphServer, loadTypeDefs, publishPending, type SubgraphDefinition, startJobs } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { migrations } from '../migrations/index.js';
import { sweepAcceptances } from './domain/acceptance-complete.js';
import { RENEWAL_SWEEP_TASK, RENEWAL_TASK } from './domain/contract-history.js';
import { contractNotifyRules } from './domain/contract-notify-rules.js';
import { runRenewal, sweepRenewals } from './domain/contract-renewal.js';
import { quoteNotifyRules } from './domain/quote-notify-rules.js';
import type { QuoteServices } from './domain/services.js';
import { entities } from './entities/index.js';
import { createQuoteLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

/** The quote subgraph's schedule (graphile-worker crontab): every five minutes, begun acceptances, the contract renewal safety net, notification retries and unpublished events. */
export const CRONTAB = `*/5 * * * * ${RENEWAL_SWEEP_TASK}`;

/** The quote subgraph: quotes for customers and prospects, priced from the catalog (TMF648 Quote); contracts (TMF651 Agreement). */
export const quoteSubgraph: SubgraphDefinition = {
  name: 'quote',
  typeDefs,
  entities,
  migrations,
  // Not audited: a contract's history rows are its own record of the change.
  auditExclude: ['ContractEvent'],
  notifyRules: [...contractNotifyRules, ...quoteNotifyRules],
  seed,
  create: async ({ orm, secret, bus, peers, clock }) => {
    const services: QuoteServices = { peers, bus, clock, addJob: (db, task, payload, options) => addJob(db, task, payload, options) };
    const em = () => orm.em.fork() as EntityManager;
    // A job per contract (key `contract:<id>:renewal`), run when its renewal or end is due.
    const renewal = (payload: { contractId?: string }) => runRenewal(em(), services, String(payload?.contractId ?? ''));
    // The five-minute safety net: acceptances left begun, contract renewals, then the outbox's unpublished events.
    const sweep = async () => {
      await sweepAcceptances(em(), services);
      const renewals = await sweepRenewals(em(), services);
      await publishPending(em(), bus, clock.now());
      return renewals;
    };
    // Every instance runs a worker; graphile-worker claims each job once. DCRM_JOBS=off for tests.
    // Mutations queue jobs (contract renewals) whether or not this instance runs a worker.
    const runner = await startJobs({
      databaseUrl: orm.config.get('clientUrl') as string,
      taskList: {
        [RENEWAL_TASK]: async (payload: { contractId?: string }) => void (await renewal(payload)),
        [RENEWAL_SWEEP_TASK]: async () => void (await sweep()),
      },
      crontab: CRONTAB,
      concurrency: 1,
      component: 'quote jobs',
    });
    return createSubgraphServer({
      name: 'quote',
      typeDefs,
      resolvers,
      orm,
      secret,
      services,
      createLoaders: (em, principal) => createQuoteLoaders(em, principal, services),
      onStop: async () => runner?.stop(),
      // Tests call handlers directly, with the payload a job would carry.
      tasks: { [RENEWAL_TASK]: (payload?: unknown) => renewal((payload ?? {}) as { contractId?: string }), [RENEWAL_SWEEP_TASK]: sweep },
    });
  },
};
