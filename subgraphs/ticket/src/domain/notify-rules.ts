import type { NotifyRow, NotifyRule } from '@dcrm/kit';
import { replyTokenFor } from './reply-token.js';

// Both notices carry `replyToken`: an email or SMS answering them comes back through `ticketReplyReceive`.
const replyTokenOf = (ticketId: unknown, row: NotifyRow) =>
  replyTokenFor({ ticketId: ticketId as string, customerId: row.customerId as string, storefrontId: row.storefrontId as string });

/**
 * What ticket changes tell the customer (kit notify-on-change.ts), through the customer subgraph's
 * notification service, which applies consents and preferences: a status change, and an agent's public
 * comment. Internal comments and the customer's own comments tell nobody.
 */
export const notifyRules: NotifyRule[] = [
  {
    entity: 'Ticket',
    on: 'update',
    fields: ['status'],
    template: 'ticket.statusChanged',
    recipients: (ticket) => ({ customerId: ticket.customerId as string }),
    variables: (ticket) => ({
      ticketId: ticket.id as string,
      subject: ticket.subject as string,
      status: ticket.status as string,
      reason: ((ticket.status === 'RESOLVED' ? ticket.resolution : ticket.statusReason) as string | null) ?? null,
      replyToken: replyTokenOf(ticket.id, ticket),
    }),
  },
  {
    entity: 'TicketComment',
    on: 'create',
    template: 'ticket.commented',
    recipients: (comment) =>
      !comment.internal && comment.authorKind === 'STAFF' && comment.customerId ? { customerId: comment.customerId as string } : null,
    variables: (comment) => ({
      ticketId: comment.ticketId as string,
      comment: comment.body as string,
      replyToken: replyTokenOf(comment.ticketId, comment),
    }),
  },
];
