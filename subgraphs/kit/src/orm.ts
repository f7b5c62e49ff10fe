import type { Constructor } from '@mikro-orm/core';
import { Migration, Migrator } from '@mikro-orm/migrations';
import { type EntitySchema, MikroORM } from '@mikro-orm/postgresql';
import { AuditRecord } from './audit-record.js';
import { AuditTrail } from './audit-subscriber.js';
import { BrandWriteGuard } from './brand-guard.js';
import { NotifyOnChange, NotifyOutbox, type NotifyRule } from './notify-on-change.js';
import { sqlCounter } from './sql-counter.js';

export type { MikroORM } from '@mikro-orm/postgresql';
export { Migration };

/** Every subgraph's Postgres schema; each ORM ignores the others so a migration diff never drops them. */
export const SUBGRAPH_SCHEMAS = ['catalog', 'customer', 'cart', 'promotion', 'opportunity', 'quote', 'ticket'];

export type OrmOptions = {
  /** Subgraph name; also its Postgres schema and the ORM's context name. */
  name: string;
  databaseUrl: string;
  // biome-ignore lint/suspicious/noExplicitAny: entity schemas are heterogeneous by nature
  entities: EntitySchema<any, any>[];
  migrations: { name: string; class: Constructor<Migration> }[];
  poolSize?: number;
  debug?: boolean;
  /** Entities (by name) whose changes are not audited: the subgraph lists them (see audit-subscriber.ts). */
  auditExclude?: string[];
  /** Changes that notify someone (notify-on-change.ts); the subgraph then has a `notify_outbox` table. */
  notifyRules?: NotifyRule[];
};

/** Connections per subgraph process (`DCRM_DB_POOL`, default 10): size it so every process fits PostgreSQL's `max_connections`. */
function poolSize(env: NodeJS.ProcessEnv = process.env): number {
  const size = Number(env.DCRM_DB_POOL ?? 10);
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw new Error('DCRM_DB_POOL must be a whole number from 1 to 1000');
  return size;
}

export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.databaseUrl,
    schema: options.name,
    contextName: options.name,
    // Every subgraph keeps its own audit trail, in its own schema.
    entities: [...options.entities, AuditRecord, ...(options.notifyRules?.length ? [NotifyOutbox] : [])],
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      schema: options.name,
      migrationsList: options.migrations,
      snapshot: false,
      silent: true,
    },
    schemaGenerator: { ignoreSchema: SUBGRAPH_SCHEMAS.filter((s) => s !== options.name) },
    pool: { min: 0, max: options.poolSize ?? poolSize() },
    onQuery: sqlCounter.onQuery,
    // Brand scope of every write, whatever the resolver checked (see brand-guard.ts); then the audit
    // trail of what the flush writes, in the same transaction (audit-subscriber.ts).
    // Last, the notifications those changes ask for (notify-on-change.ts), also in the same transaction.
    subscribers: [
      new BrandWriteGuard(),
      new AuditTrail(new Set([...(options.auditExclude ?? []), 'NotifyOutbox'])),
      ...(options.notifyRules?.length ? [new NotifyOnChange(options.notifyRules, options.name)] : []),
    ],
    forceUtcTimezone: true,
    debug: options.debug ?? false,
    // Requests always work on an explicit `em.fork()`; a global EM use is a bug.
    allowGlobalContext: false,
  });
}

/** Creates the subgraph's schema (its migrations table lives there) and applies pending migrations. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const schema = orm.config.get('schema');
  await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

/** Readiness: can this subgraph reach its database right now? */
export async function databaseReady(orm: MikroORM, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = orm.em
    .getConnection()
    .execute('select 1')
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
