import {
  type BootedSubgraph,
  bootSubgraph,
  type Clock,
  type Database,
  type EventBus,
  ensureLocalSecrets,
  inProcessTarget,
  internalSecret,
  openBus,
  openDatabase,
  seedSubgraph,
} from '@dcrm/kit';
import type { CostSettings } from '@dcrm/router/cost/budget.js';
import type { GraphiqlOptions } from '@dcrm/router/graphiql.js';
import { createRouter, type Router } from '@dcrm/router/router.js';
import type { SsoSettings } from '@dcrm/router/sso/settings.js';
import { sdkDocuments } from '@dcrm/router/warm-up.js';
import { loadSupergraph } from '@dcrm/schema';
import { SUBGRAPHS } from './subgraphs.js';

export type Stack = {
  database: Database;
  bus: EventBus;
  subgraphs: BootedSubgraph[];
  router: Router;
  seeded: Record<string, Record<string, unknown>>;
  stop(): Promise<void>;
};

export type StackOptions = {
  /** Time for the subgraphs (tests pass a manual clock). */
  clock?: Clock;
  databaseUrl?: string;
  seed?: boolean;
  scale?: number;
  exposeSqlCount?: boolean;
  exposeLiveStats?: boolean;
  /** GraphiQL's starting headers and query (the all-in-one pre-fills the demo key); default as in createRouter. */
  graphiql?: GraphiqlOptions | false;
  /** Single-fetch passthrough in the router (default: on unless `DCRM_PASSTHROUGH=off`). */
  passthrough?: boolean;
  /** Build the query plans of the storefront SDK's operations at start (servers yes; tests start many stacks, no). */
  warmUp?: boolean;
  /** Query cost budgets over the `DCRM_COST_*` environment. */
  cost?: Partial<CostSettings>;
  log?: (line: string) => void;
  /** Where the generated secrets are kept when the environment has none (`.data`). */
  dataDir?: string;
  /** Staff single sign-on over the `OIDC_*` environment. */
  sso?: Partial<SsoSettings>;
};

/**
 * Everything in one process (laptop, tests): database, migrations, demo data, every subgraph and the
 * router, with subgraphs called in-process through their own HTTP request pipeline.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const database = options.databaseUrl ? { url: options.databaseUrl, embedded: false, stop: async () => {} } : await openDatabase();
  log(database.embedded ? `embedded PostgreSQL at ${database.url}` : 'PostgreSQL from DATABASE_URL');
  const subgraphs: BootedSubgraph[] = [];
  let bus: EventBus | null = null;
  // Job workers stop with their servers, before any pool closes; the bus, then the database, go last.
  const stopParts = async (router: Router | null) => {
    await router?.stop();
    for (const s of subgraphs) await s.server.stop();
    for (const s of subgraphs) await s.orm.close();
    await bus?.close();
    await database.stop();
  };
  try {
    // Secrets from the environment (tests pass generated ones), else `.data/secrets.json`, made on first start.
    const secrets = ensureLocalSecrets(options.dataDir ?? (process.env.DCRM_DATA_DIR || '.data'));
    if (secrets.created) log(`generated secrets in ${secrets.file} (mode 0600)`);
    const secret = internalSecret();
    const openedBus = openBus();
    bus = openedBus;
    // Subgraphs call each other in-process too, through each other's own request pipeline.
    const peers = (name: string) => {
      const booted = subgraphs.find((s) => s.definition.name === name);
      if (!booted) throw new Error(`no subgraph ${name}`);
      return inProcessTarget(booted.server);
    };
    const names = SUBGRAPHS.map((s) => s.name);
    for (const definition of SUBGRAPHS)
      subgraphs.push(
        await bootSubgraph(definition, {
          databaseUrl: database.url,
          secret,
          bus: openedBus,
          peers,
          clock: options.clock,
          subgraphs: names,
        }),
      );
    const seeded: Record<string, Record<string, unknown>> = {};
    if (options.seed !== false) {
      for (const booted of subgraphs) seeded[booted.definition.name] = await seedSubgraph(booted, { scale: options.scale, log });
    }
    const router = await createRouter({
      supergraphSdl: loadSupergraph(),
      targets: subgraphs.map((s) => inProcessTarget(s.server)),
      exposeSqlCount: options.exposeSqlCount,
      exposeLiveStats: options.exposeLiveStats,
      graphiql: options.graphiql,
      bus: openedBus,
      warmUp: options.warmUp ? sdkDocuments() : undefined,
      cost: options.cost,
      metrics: subgraphs.map((s) => s.server.metrics),
      sso: options.sso,
      passthrough: options.passthrough,
    });
    if (router.warmedPlans) log(`query plans of ${router.warmedPlans} SDK operations built`);
    return { database, bus: openedBus, subgraphs, router, seeded, stop: () => stopParts(router) };
  } catch (error) {
    // A half-started stack must not leave the embedded database (or pools) behind.
    await stopParts(null).catch(() => {});
    throw error;
  }
}
