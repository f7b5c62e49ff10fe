import { type DirectoryCaller, loggerFor, notifyStaff, type StaffContact, teamMembers, teamsFor } from '@dcrm/kit';
import type { ActorKind, ITicket } from '../entities/index.js';
import type { TicketServices } from './services.js';

/** What the customer's side did on a ticket that its handlers should hear of. */
export type CustomerReply = { kind: 'COMMENT' | 'REOPENED' | 'CONFIRMED'; actor: ActorKind; body?: string | null; key: string };

const AUTHOR: Partial<Record<ActorKind, string>> = { CUSTOMER: 'the customer', PARTNER: 'the partner', API_KEY: 'the customer' };
const WHAT: Record<CustomerReply['kind'], string> = { COMMENT: '', REOPENED: 'Reopened: ', CONFIRMED: 'Resolution confirmed' };

/** A short, readable number for a ticket in messages (its id's tail, upper case). */
export const ticketNumberOf = (id: string): string => `T-${id.replaceAll('-', '').slice(-10).toUpperCase()}`;

/** At most 280 characters of a reply, on one line. */
export const excerptOf = (text: string | null | undefined): string => {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > 280 ? `${line.slice(0, 279)}…` : line;
};

/**
 * Who hears of a customer's or partner's reply: the assignee; with none, the members of the ticket's
 * team; with no team either, the members of the brand's support team for the ticket's segment (kit
 * staff directory). Empty when nobody is found.
 */
export async function replyRecipients(
  caller: DirectoryCaller,
  ticket: Pick<ITicket, 'assigneeStaffId' | 'teamId' | 'segment'>,
): Promise<StaffContact[] | { id: string }[]> {
  if (ticket.assigneeStaffId) return [{ id: ticket.assigneeStaffId }];
  if (ticket.teamId) {
    const members = await teamMembers(caller, ticket.teamId);
    if (members.length) return members;
  }
  const [team] = await teamsFor(caller, { kind: 'SUPPORT', segment: ticket.segment });
  return team?.members ?? [];
}

/**
 * Tells the ticket's handlers that the customer's side replied, reopened or confirmed (template
 * `ticket.customerReplied`), once per `reply.key`. Runs after the write committed; a failure is
 * logged and never undoes the reply.
 */
export async function tellStaffOfReply(services: TicketServices, ticket: ITicket, reply: CustomerReply): Promise<void> {
  if (reply.actor === 'STAFF' || reply.actor === 'SYSTEM') return;
  const caller: DirectoryCaller = { customer: services.peers('customer'), source: 'ticket', storefrontId: ticket.storefrontId };
  try {
    const recipients = await replyRecipients(caller, ticket);
    const base = process.env.DCRM_STAFF_CONSOLE_URL;
    const variables = {
      ticketId: ticket.id,
      ticketNumber: ticketNumberOf(ticket.id),
      subject: ticket.subject,
      author: AUTHOR[reply.actor] ?? 'the customer',
      excerpt: `${WHAT[reply.kind]}${excerptOf(reply.body)}`,
      url: base ? `${base.replace(/\/$/, '')}/tickets/${ticket.id}` : null,
    };
    await notifyStaff(
      caller,
      recipients.map((r) => ({
        staffId: r.id,
        templateKey: 'ticket.customerReplied',
        variables,
        dedupeKey: `ticket.customerReplied:${reply.key}:${r.id}`,
      })),
    );
  } catch (error) {
    loggerFor('ticket').warn({ ticketId: ticket.id, err: error }, 'staff not told of a customer reply');
  }
}
