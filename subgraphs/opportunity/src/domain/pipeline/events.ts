import { type Clock, type EventBus, loggerFor, newId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Outbox } from '../../entities/index.js';

/**
 * Domain events of the pipeline, written to the outbox in the transaction that made the change (a
 * rolled-back change tells nobody) and published right after commit; a row whose publication failed
 * stays unpublished for `publishOutbox` (the periodic task). Consumers dedupe by `eventId`.
 */
export const SALES_EVENTS = {
  leadQualified: 'dcrm.lead.qualified',
  opportunityWon: 'dcrm.opportunity.won',
  opportunityLost: 'dcrm.opportunity.lost',
} as const;

export type SalesEvent = {
  eventId: string;
  storefrontId: string;
  opportunityId: string;
  leadId: string | null;
  customerId: string | null;
  segment: string;
  stage: string;
  reasonCode: string | null;
  at: string;
};

/** Adds an outbox row to the transaction; returns its id for `publishAfterCommit`. */
export function recordEvent(tx: EntityManager, type: string, event: Omit<SalesEvent, 'eventId'>): string {
  const eventId = newId();
  tx.create(Outbox, { id: eventId, type, payload: { eventId, ...event }, createdAt: new Date(event.at), publishedAt: null });
  return eventId;
}

/** Publishes these committed outbox rows now and marks them; a failure leaves them to `publishOutbox`. */
export async function publishAfterCommit(em: EntityManager, services: { bus: EventBus; clock: Clock }, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    const rows = await em.fork().find(Outbox, { id: { $in: ids }, publishedAt: null });
    for (const row of rows) await services.bus.publish(row.type, row.payload);
    await em
      .fork()
      .getConnection()
      .execute('update "opportunity"."outbox" set published_at = ? where id in (?) and published_at is null', [services.clock.now(), ids]);
  } catch (error) {
    loggerFor('opportunity').warn({ err: error }, 'outbox publish deferred');
  }
}

/** Publishes outbox rows left unpublished; each row once across instances (the periodic task's). */
export async function publishOutbox(em: EntityManager, services: { bus: EventBus; clock: Clock }): Promise<number> {
  const rows = (await em.transactional((tx) =>
    tx.execute(
      `update "opportunity"."outbox" set published_at = ? where id in (
         select id from "opportunity"."outbox" where published_at is null order by created_at limit 100 for update skip locked)
       returning type, payload`,
      [services.clock.now()],
    ),
  )) as { type: string; payload: unknown }[];
  for (const row of rows) await services.bus.publish(row.type, row.payload);
  return rows.length;
}
