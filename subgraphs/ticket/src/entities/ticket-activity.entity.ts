import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { TICKET_STATUSES } from './ticket.entity.js';

/** Who did something to a ticket: a raiser kind, or the system (jobs: automatic closure). */
export const ACTOR_KINDS = ['CUSTOMER', 'STAFF', 'PARTNER', 'API_KEY', 'SYSTEM'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** One move of a ticket's life cycle (the first row: its creation, from null). Written, never changed. */
export const TicketStatusChange = defineEntity({
  name: 'TicketStatusChange',
  tableName: 'ticket_status_history',
  properties: {
    id: columns.id(),
    ticketId: p.uuid(),
    storefrontId: p.uuid(),
    fromStatus: p.enum(TICKET_STATUSES).nullable(),
    toStatus: p.enum(TICKET_STATUSES),
    actorKind: p.enum(ACTOR_KINDS),
    actorId: p.string().nullable(),
    reason: p.string().nullable(),
    at: p.datetime(),
  },
});
export type ITicketStatusChange = InferEntity<typeof TicketStatusChange>;

/** How a comment reached a ticket: written through dcrm's API, or an email or SMS reply recorded from the provider. */
export const COMMENT_CHANNELS = ['API', 'EMAIL', 'SMS'] as const;
export type CommentChannel = (typeof COMMENT_CHANNELS)[number];

/** A comment: public (the customer and partner see it) or internal (staff only). */
export const TicketComment = defineEntity({
  name: 'TicketComment',
  tableName: 'ticket_comment',
  properties: {
    id: columns.id(),
    ticketId: p.uuid(),
    storefrontId: p.uuid(),
    customerId: p.uuid().nullable(),
    internal: p.boolean().default(false),
    authorKind: p.enum(ACTOR_KINDS),
    authorId: p.string().nullable(),
    body: p.text(),
    channel: p.enum(COMMENT_CHANNELS).default('API'),
    /** The provider's message id of an email or SMS reply: the same one is recorded once. */
    providerMessageId: p.string().nullable(),
    createdAt: columns.createdAt(),
  },
});
export type ITicketComment = InferEntity<typeof TicketComment>;

/** A file attached to a ticket: metadata, and its bytes in PostgreSQL (loaded only when asked for). */
export const TicketAttachment = defineEntity({
  name: 'TicketAttachment',
  tableName: 'ticket_attachment',
  properties: {
    id: columns.id(),
    ticketId: p.uuid(),
    storefrontId: p.uuid(),
    internal: p.boolean().default(false),
    fileName: p.string(),
    contentType: p.string(),
    sizeBytes: p.integer(),
    sha256: p.string(),
    content: p.blob().lazy(),
    uploadedByKind: p.enum(ACTOR_KINDS),
    uploadedById: p.string().nullable(),
    createdAt: columns.createdAt(),
  },
});
export type ITicketAttachment = InferEntity<typeof TicketAttachment>;
