import { createSubgraphServer, loadTypeDefs, type SubgraphDefinition, startJobs } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { migrations } from '../migrations/index.js';
import { promotionClient } from './clients/promotions.js';
import { abandonmentConfig } from './domain/abandonment-config.js';
import { notifyRules } from './domain/notify-rules.js';
import { runAbandonment } from './domain/periodic.js';
import type { CartServices } from './domain/services.js';
import { entities } from './entities/index.js';
import { createCartLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

/** The cart subgraph's schedule (graphile-worker crontab syntax: task names allow `:`, not `.`). */
export const CRONTAB = '* * * * * cart:abandonment';

const RECOVER_BASE = process.env.DCRM_RECOVER_URL ?? 'https://shop.example.com/recover';

/** The cart subgraph: carts, checkout, orders, browse and cart abandonment with drop links. */
export const cartSubgraph: SubgraphDefinition = {
  name: 'cart',
  typeDefs,
  entities,
  migrations,
  // Not audited: the event outbox and the order's own status history.
  auditExclude: ['Outbox', 'OrderEvent'],
  notifyRules,
  seed,
  create: async ({ orm, secret, bus, peers, clock }) => {
    const services: CartServices = {
      peers,
      bus,
      clock,
      promotions: promotionClient(peers),
      secret,
      abandonment: abandonmentConfig(),
      recoverUrl: (storefrontId, token) => `${RECOVER_BASE}?storefront=${storefrontId}&token=${token}`,
    };
    const tasks = { 'cart:abandonment': () => runAbandonment(orm.em.fork() as EntityManager, services) };
    // Every instance runs a worker; graphile-worker claims each job once. DCRM_JOBS=off for tests.
    const runner = await startJobs({
      databaseUrl: orm.config.get('clientUrl') as string,
      taskList: { 'cart:abandonment': async () => void (await tasks['cart:abandonment']()) },
      crontab: CRONTAB,
      concurrency: 1,
      component: 'cart jobs',
      // Only the cron starts cart jobs (nothing queues one): a process without a worker needs no job schema.
      queuesJobs: false,
    });
    return createSubgraphServer({
      name: 'cart',
      typeDefs,
      resolvers,
      orm,
      secret,
      services,
      createLoaders: (em, principal) => createCartLoaders(em, principal, services),
      onStop: async () => runner?.stop(),
      tasks,
    });
  },
};
