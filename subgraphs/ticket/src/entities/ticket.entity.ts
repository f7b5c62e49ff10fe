import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** TMF621 Trouble Ticket states; the allowed moves between them are data in `domain/lifecycle.ts`. */
export const TICKET_STATUSES = ['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING', 'HELD', 'RESOLVED', 'CLOSED', 'CANCELLED', 'REJECTED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Still someone's work: counted as outstanding in the 360° view. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING', 'HELD'];

export const TICKET_PRIORITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
/** `priority_rank`, a stored generated column: priorities in their order, for sorting. */
export const PRIORITY_RANK_SQL = `(case "priority" when 'CRITICAL' then 0 when 'HIGH' then 1 when 'MEDIUM' then 2 else 3 end) stored`;
export const TICKET_SEVERITIES = ['CRITICAL', 'MAJOR', 'MINOR'] as const;
export type TicketSeverity = (typeof TICKET_SEVERITIES)[number];
export const TICKET_CATEGORIES = ['BILLING', 'TECHNICAL', 'NETWORK', 'ORDER', 'DEVICE', 'ACCOUNT', 'COMPLAINT', 'OTHER'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const TICKET_CHANNELS = ['SELF_CARE', 'CHATBOT', 'PHONE', 'EMAIL', 'PORTAL', 'PARTNER', 'STORE'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];
/** Who raised a ticket: the account holder, an agent on their behalf, a partner user or integration, a chatbot key. */
export const RAISER_KINDS = ['CUSTOMER', 'STAFF', 'PARTNER', 'API_KEY'] as const;
export type RaiserKind = (typeof RAISER_KINDS)[number];

/**
 * A trouble ticket of one account (customer) in one storefront. Segment and partner are copied from
 * the account when it is raised, so access (staff by segment, partners their accounts) is decided
 * here without asking the customer subgraph. `breached` is kept by the SLA clocks.
 */
export const Ticket = defineEntity({
  name: 'Ticket',
  tableName: 'ticket',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    customerId: p.uuid(),
    segment: p.string(),
    partnerId: p.uuid().nullable(),
    raisedByKind: p.enum(RAISER_KINDS),
    raisedById: p.string().nullable(),
    channel: p.enum(TICKET_CHANNELS),
    category: p.enum(TICKET_CATEGORIES),
    priority: p.enum(TICKET_PRIORITIES),
    // 0 = CRITICAL … 3 = LOW, kept by PostgreSQL: the queue's sort key.
    priorityRank: p.smallint().generated(PRIORITY_RANK_SQL).nullable(),
    severity: p.enum(TICKET_SEVERITIES),
    status: p.enum(TICKET_STATUSES).default('ACKNOWLEDGED'),
    statusReason: p.string().nullable(),
    subject: p.string(),
    description: p.text(),
    resolution: p.text().nullable(),
    relatedOrderId: p.uuid().nullable(),
    relatedProductId: p.uuid().nullable(),
    relatedContractId: p.string().nullable(),
    assigneeStaffId: p.uuid().nullable(),
    teamId: p.uuid().nullable(),
    breached: p.boolean().default(false),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    statusChangedAt: p.datetime().onCreate(() => new Date()),
    firstRespondedAt: p.datetime().nullable(),
    resolvedAt: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
    version: columns.version(),
  },
});
export type ITicket = InferEntity<typeof Ticket>;
