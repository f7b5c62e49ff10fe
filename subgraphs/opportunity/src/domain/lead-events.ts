import { EVENTS, type LeadCapturedEvent, newId, type OutboxEvent } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ILead, Outbox } from '../entities/index.js';

/** `lead.captured`, written to the outbox in the lead's transaction; published after the commit. */
export function recordCaptured(tx: EntityManager, lead: ILead, now: Date): OutboxEvent {
  const payload: LeadCapturedEvent = {
    eventId: newId(),
    leadId: lead.id,
    storefrontId: lead.storefrontId,
    channel: lead.channel,
    campaignId: lead.campaignId ?? null,
    customerId: lead.customerId ?? null,
    partnerId: lead.partnerId ?? null,
    productIds: lead.productIds,
    at: now.toISOString(),
  };
  tx.create(Outbox, { id: payload.eventId, type: EVENTS.leadCaptured, payload, createdAt: now });
  return { id: payload.eventId, type: EVENTS.leadCaptured, payload };
}
