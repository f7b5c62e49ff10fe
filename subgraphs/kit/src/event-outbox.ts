import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus } from './bus.js';
import { columns } from './columns.js';
import type { JobDb } from './jobs.js';

/**
 * Domain events through a subgraph's outbox table, written once for every subgraph: the event is a
 * row of the transaction that caused it (so a rolled-back change publishes nothing), published after
 * the commit and again by the subgraph's periodic task for rows whose first publish did not happen.
 * Consumers dedupe by the event's id (the row's id), since a row may be published more than once.
 */
export function eventOutboxSql(schema: string): string[] {
  const table = `"${schema}"."outbox"`;
  return [
    `create table ${table} ("id" uuid primary key, "type" varchar(100) not null, "payload" jsonb not null,
      "created_at" timestamptz not null, "published_at" timestamptz null)`,
    `create index "outbox_unpublished_idx" on ${table} ("created_at") where "published_at" is null`,
  ];
}

/**
 * The outbox table (`eventOutboxSql`) as an entity, for a subgraph that writes its events with `em.create`:
 * it lists it among its entities (each ORM maps it into its own schema).
 */
export const Outbox = defineEntity({
  name: 'Outbox',
  tableName: 'outbox',
  properties: {
    id: columns.id(),
    type: p.string(),
    payload: p.json<Record<string, unknown>>(),
    createdAt: columns.createdAt(),
    publishedAt: p.datetime().nullable(),
  },
});
export type IOutbox = InferEntity<typeof Outbox>;

/** Writes an event into the caller's transaction (`db` is its EntityManager); the payload carries `eventId` = `id`. */
export async function enqueueEvent(db: JobDb, schema: string, event: { id: string; type: string; payload: unknown; at: Date }) {
  await db.execute(`insert into "${schema}"."outbox" (id, type, payload, created_at) values (?, ?, ?::jsonb, ?)`, [
    event.id,
    event.type,
    JSON.stringify(event.payload),
    event.at,
  ]);
}

/**
 * Publishes unpublished rows (`ids`: just these, after their commit; otherwise the oldest 100), each
 * marked in the same transaction as it is published: a failed publish leaves it for the next run.
 * Rows another instance is publishing are skipped. Returns how many were published.
 */
export async function publishOutbox(em: EntityManager, bus: EventBus, schema: string, now: Date, ids?: readonly string[]): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const table = `"${schema}"."outbox"`;
  const which = ids ? `id in (${ids.map(() => '?').join(', ')}) and` : '';
  return em.transactional(async (tx) => {
    const rows = (await tx.execute(
      `select id, type, payload from ${table} where ${which} published_at is null order by created_at limit 100 for update skip locked`,
      [...(ids ?? [])],
    )) as { id: string; type: string; payload: unknown }[];
    for (const row of rows) await bus.publish(row.type, row.payload);
    if (rows.length) {
      await tx.execute(`update ${table} set published_at = ? where id in (${rows.map(() => '?').join(', ')})`, [
        now,
        ...rows.map((r) => r.id),
      ]);
    }
    return rows.length;
  });
}

/** An event row as the subgraph wrote it into its transaction. */
export type OutboxEvent = { id: string; type: string; payload: unknown };

const schemaOf = (em: EntityManager) => em.config.get('schema') as string;

/** After the commit: publishes these rows at once (one the bus refuses is left for the periodic run). */
export async function publishCommitted(em: EntityManager, bus: EventBus, events: readonly OutboxEvent[], now = new Date()): Promise<void> {
  try {
    await publishOutbox(
      em.fork() as EntityManager,
      bus,
      schemaOf(em),
      now,
      events.map((e) => e.id),
    );
  } catch {
    // The periodic run publishes them later; consumers dedupe by the event's id.
  }
}

/** The periodic run: the oldest unpublished rows of the subgraph's outbox. */
export const publishPending = (em: EntityManager, bus: EventBus, now = new Date()): Promise<number> =>
  publishOutbox(em.fork() as EntityManager, bus, schemaOf(em), now);
