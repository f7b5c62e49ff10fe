import type { EntityManager } from '@mikro-orm/core';
import type { EventBus } from './bus.js';

/**
 * Domain events through an outbox: a subgraph writes the event as a row of its `outbox` table in the
 * transaction of the change (its own entity over this table), publishes it at once after the commit
 * (`publishCommitted`), and a periodic task publishes what a crash or a bus outage left (`publishPending`).
 * Delivery is at least once: consumers count each event once by its id (the row's id is the event's).
 */
export function eventOutboxSql(schema: string): string[] {
  const table = `"${schema}"."outbox"`;
  return [
    `create table ${table} ("id" uuid primary key, "type" varchar(100) not null, "payload" jsonb not null,
      "created_at" timestamptz not null, "published_at" timestamptz null)`,
    `create index "outbox_unpublished_idx" on ${table} ("created_at") where "published_at" is null`,
  ];
}

export type OutboxEvent = { id: string; type: string; payload: unknown };

const table = (em: EntityManager) => `"${em.config.get('schema')}"."outbox"`;

/** After the commit: each event published, then its row marked; one the bus refuses is left for `publishPending`. */
export async function publishCommitted(em: EntityManager, bus: EventBus, events: readonly OutboxEvent[], now = new Date()): Promise<void> {
  for (const event of events) {
    try {
      await bus.publish(event.type, event.payload);
      await em
        .fork()
        .getConnection()
        .execute(`update ${table(em)} set published_at = ? where id = ? and published_at is null`, [now, event.id]);
    } catch {
      // publishPending sends it later; consumers dedupe by the event's id.
    }
  }
}

/** Publishes rows still unpublished (oldest first, at most 100), each claimed once across instances. */
export async function publishPending(em: EntityManager, bus: EventBus, now = new Date()): Promise<number> {
  // One statement: claimed and marked at once, so two instances never publish the same row.
  const rows = (await em
    .fork()
    .getConnection()
    .execute(
      `update ${table(em)} set published_at = ? where id in (
         select id from ${table(em)} where published_at is null order by created_at limit 100 for update skip locked)
       returning type, payload`,
      [now],
    )) as { type: string; payload: unknown }[];
  for (const row of rows) await bus.publish(row.type, row.payload);
  return rows.length;
}
