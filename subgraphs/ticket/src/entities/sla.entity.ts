import type { BusinessCalendar } from '@dcrm/kit';
import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { TICKET_CATEGORIES, TICKET_PRIORITIES } from './ticket.entity.js';

/** A storefront's business hours and holidays (kit business-time), on which its SLA clocks run. */
export const BusinessCalendarRow = defineEntity({
  name: 'BusinessCalendarRow',
  tableName: 'business_calendar',
  properties: {
    storefrontId: p.uuid().primary(),
    calendar: p.json<BusinessCalendar>(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type IBusinessCalendarRow = InferEntity<typeof BusinessCalendarRow>;

/** First-response and resolution targets (business minutes) for tickets matching its criteria (null: any). */
export const SlaPolicy = defineEntity({
  name: 'SlaPolicy',
  tableName: 'sla_policy',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    name: p.string(),
    priority: p.enum(TICKET_PRIORITIES).nullable(),
    category: p.enum(TICKET_CATEGORIES).nullable(),
    segment: p.string().nullable(),
    responseMinutes: p.integer(),
    resolutionMinutes: p.integer(),
    active: p.boolean().default(true),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type ISlaPolicy = InferEntity<typeof SlaPolicy>;

/** A clock pause as stored: ISO instants; `to` null while paused. */
export type StoredPause = { from: string; to: string | null };

/**
 * One ticket's SLA clock: the targets and calendar it was given (a later policy or calendar change
 * applies to new tickets, or when its priority or category changes), its pauses, the due times and
 * breaches last computed, and the escalation level reached (the escalation job never repeats one).
 */
export const TicketSla = defineEntity({
  name: 'TicketSla',
  tableName: 'ticket_sla',
  properties: {
    ticketId: p.uuid().primary(),
    storefrontId: p.uuid(),
    policyId: p.uuid().nullable(),
    policyName: p.string(),
    responseMinutes: p.integer(),
    resolutionMinutes: p.integer(),
    calendar: p.json<BusinessCalendar>(),
    pauses: p.json<StoredPause[]>(),
    paused: p.boolean().default(false),
    responseDueAt: p.datetime().nullable(),
    resolutionDueAt: p.datetime().nullable(),
    responseBreached: p.boolean().default(false),
    resolutionBreached: p.boolean().default(false),
    escalationLevel: p.integer().default(0),
    escalatedAt: p.datetime().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
  },
});
export type ITicketSla = InferEntity<typeof TicketSla>;
