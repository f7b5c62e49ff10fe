import type { Constructor } from '@mikro-orm/core';
import type { EntityManager, EntitySchema } from '@mikro-orm/postgresql';
import type { DocumentNode } from 'graphql';
import { auditAs } from './audit-record.js';
import { type EventBus, openBus } from './bus.js';
import { type Clock, systemClock } from './clock.js';
import { type NotifyRule, notifierOf } from './notify-on-change.js';
import { createOrm, type Migration, type MikroORM, migrate, SUBGRAPH_SCHEMAS } from './orm.js';
import type { SecretVariable } from './secrets.js';
import type { SubgraphServer } from './server.js';
import { httpTarget, type SubgraphTarget } from './targets.js';

export type SeedOptions = { scale?: number; log?: (line: string) => void };

/**
 * Everything the launcher, the router, composition and tests need from one subgraph.
 * Each subgraph's `src/index.ts` exports exactly one of these.
 */
export type SubgraphDefinition = {
  name: string;
  typeDefs: DocumentNode;
  // biome-ignore lint/suspicious/noExplicitAny: entity schemas are heterogeneous by nature
  entities: EntitySchema<any, any>[];
  migrations: { name: string; class: Constructor<Migration> }[];
  /** Demo data; idempotent (does nothing when the subgraph already has data). */
  seed?: (em: EntityManager, options: SeedOptions) => Promise<Record<string, unknown>>;
  create(deps: SubgraphDeps): Promise<SubgraphServer>;
  /** Secrets its process needs besides `DCRM_INTERNAL_SECRET` (checked before anything starts). */
  secrets?: SecretVariable[];
  /** Entities (by name) left out of the audit trail: plumbing, not business records (audit-subscriber.ts). */
  auditExclude?: string[];
  /** Changes that notify someone through the customer subgraph's notification service (notify-on-change.ts). */
  notifyRules?: NotifyRule[];
};

/** Another subgraph, by name (resolved when first called, so boot order does not matter). */
export type Peers = (name: string) => SubgraphTarget;

/**
 * What a subgraph gets from its process: its ORM, the router↔subgraph secret, the event bus, its peers
 * and the names of every subgraph of the deployment (its own included), for fan-outs such as the audit trail.
 */
export type SubgraphDeps = { orm: MikroORM; secret: string; bus: EventBus; peers: Peers; clock: Clock; subgraphs: readonly string[] };

/**
 * The deployment's subgraphs in production: `DCRM_SUBGRAPHS` (comma-separated) when set, else every
 * known subgraph whose `<NAME>_URL` is set, plus `self`.
 */
export function deployedSubgraphs(self: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = (env.DCRM_SUBGRAPHS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const names = listed.length ? listed : SUBGRAPH_SCHEMAS.filter((name) => env[`${name.toUpperCase()}_URL`]);
  return [...new Set([self, ...names])];
}

/** Production peers: `<NAME>_URL` (the same variables the router reads). */
export function httpPeers(secret: string, env: NodeJS.ProcessEnv = process.env): Peers {
  const cache = new Map<string, SubgraphTarget>();
  return (name) => {
    let target = cache.get(name);
    if (!target) {
      const url = env[`${name.toUpperCase()}_URL`];
      if (!url) throw new Error(`${name.toUpperCase()}_URL is not set`);
      target = httpTarget(name, url, secret);
      cache.set(name, target);
    }
    return target;
  };
}

export type BootedSubgraph = { definition: SubgraphDefinition; orm: MikroORM; server: SubgraphServer };

/** ORM, migrations, server: what a subgraph process (or the all-in-one launcher) does at start. */
export async function bootSubgraph(
  definition: SubgraphDefinition,
  options: {
    databaseUrl: string;
    secret: string;
    bus?: EventBus;
    peers?: Peers;
    clock?: Clock;
    migrate?: boolean;
    poolSize?: number;
    /** Every subgraph of the deployment (the stack's list); default `deployedSubgraphs`. */
    subgraphs?: readonly string[];
  },
): Promise<BootedSubgraph> {
  const orm = await createOrm({
    name: definition.name,
    databaseUrl: options.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
    poolSize: options.poolSize,
    auditExclude: definition.auditExclude,
    notifyRules: definition.notifyRules,
  });
  if (options.migrate !== false) await migrate(orm);
  const peers = options.peers ?? httpPeers(options.secret);
  notifierOf(orm)?.connect(() => peers('customer'));
  const server = await definition.create({
    orm,
    secret: options.secret,
    bus: options.bus ?? openBus(),
    peers,
    clock: options.clock ?? systemClock,
    subgraphs: options.subgraphs ?? deployedSubgraphs(definition.name),
  });
  return { definition, orm, server };
}

export async function seedSubgraph(booted: BootedSubgraph, options: SeedOptions = {}): Promise<Record<string, unknown>> {
  if (!booted.definition.seed) return {};
  const em = booted.orm.em.fork() as EntityManager;
  const seed = booted.definition.seed;
  return auditAs({ kind: 'system', id: 'seed' }, () => seed(em, options));
}
