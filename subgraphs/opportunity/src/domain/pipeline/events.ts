import { type Clock, EVENTS, type EventBus, newId, type OutboxEvent, publishCommitted, type SalesPipelineEvent } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Outbox } from '../../entities/index.js';

/**
 * Domain events of the pipeline (`lead.qualified`, `opportunity.won`, `opportunity.lost`), written to
 * the outbox in the transaction that made the change (a rolled-back change tells nobody) and published
 * right after commit (kit event-outbox); what the bus missed, the periodic task publishes.
 */
export const SALES_EVENTS = {
  leadQualified: EVENTS.leadQualified,
  opportunityWon: EVENTS.opportunityWon,
  opportunityLost: EVENTS.opportunityLost,
} as const;

/** Adds an outbox row to the transaction; publish it with `publishAfterCommit` once committed. */
export function recordEvent(tx: EntityManager, type: string, event: Omit<SalesPipelineEvent, 'eventId'>): OutboxEvent {
  const payload: SalesPipelineEvent = { eventId: newId(), ...event };
  tx.create(Outbox, { id: payload.eventId, type, payload, createdAt: new Date(event.at) });
  return { id: payload.eventId, type, payload };
}

export const publishAfterCommit = (em: EntityManager, services: { bus: EventBus; clock: Clock }, events: readonly OutboxEvent[]) =>
  publishCommitted(em, services.bus, events, services.clock.now());
