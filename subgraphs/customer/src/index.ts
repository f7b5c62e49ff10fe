import {
  createSubgraphServer,
  databaseNamespace,
  hotProfiles,
  jwtSecret,
  loadTypeDefs,
  openSignInGuard,
  type SubgraphDefinition,
  startJobs,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { migrations } from '../migrations/index.js';
import { bulkActions } from './domain/bulk/actions.js';
import { BULK_TASK } from './domain/bulk/operations.js';
import { runBulkOperation } from './domain/bulk/run.js';
import { channelAdapters } from './domain/notifications/adapters.js';
import { startSurveysAfterTickets } from './domain/nps-after-ticket.js';
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
  // Not audited: sessions (refresh tokens) and inbox messages, themselves the sent history.
  auditExclude: ['RefreshToken', 'SiteMessage'],
  seed: (em: EntityManager, options) => seedCustomers(em, options),
  // It signs customers', staff and partners' access tokens.
  secrets: ['DCRM_JWT_SECRET'],
  create: async ({ orm, secret, bus, peers, subgraphs }) => {
    const bulk = { actions: bulkActions(orm, peers), bus };
    const services: CustomerServices = {
      bus,
      signInGuard: openSignInGuard(),
      jwtSecret: jwtSecret(),
      staffPasswordMaxAgeDays: Number(process.env.DCRM_STAFF_PASSWORD_MAX_AGE_DAYS ?? 90),
      audit: { self: 'customer', subgraphs, peers },
      notificationAdapters: channelAdapters(),
      bulk,
      ssoGroupMap: parseSsoGroupMap(process.env.DCRM_SSO_GROUP_MAP),
      hotProfiles: process.env.REDIS_URL ? hotProfiles(process.env.REDIS_URL, databaseNamespace(orm)) : null,
    };
    const runBulk = (payload: { operationId?: string; stopAfterBatches?: number }, attempts = 1) =>
      typeof payload?.operationId === 'string'
        ? runBulkOperation(orm, bulk, payload.operationId, { attempts, stopAfterBatches: payload.stopAfterBatches })
        : Promise.resolve(null);
    // Every instance runs a worker; graphile-worker claims each job once. DCRM_JOBS=off for tests.
    // Confirmation queues jobs whether or not this instance runs a worker.
    const runner = await startJobs({
      databaseUrl: orm.config.get('clientUrl') as string,
      // The job's payload is `{ operationId }` only; a resumed attempt continues after the last committed batch.
      taskList: {
        [BULK_TASK]: async (payload: { operationId?: string }, { attempts }) =>
          void (await runBulk({ operationId: payload?.operationId }, attempts)),
      },
      concurrency: 2,
      component: 'customer jobs',
    });
    // NPS after a resolved ticket (the ticket subgraph's event).
    const stopSurveys = await startSurveysAfterTickets(orm, bus, services.notificationAdapters);
    return createSubgraphServer({
      name: 'customer',
      typeDefs,
      resolvers,
      orm,
      secret,
      createLoaders,
      services,
      onStop: async () => {
        await stopSurveys();
        await runner?.stop();
        await services.notificationAdapters.EMAIL.close?.();
        await services.hotProfiles?.close();
      },
      // Tests run the job directly, with the payload it carries (plus `stopAfterBatches` to simulate a crash).
      tasks: { [BULK_TASK]: (payload?: unknown) => runBulk((payload ?? {}) as { operationId?: string }) },
    });
  },
};
