import { Checks, fail, isUuid, ok, type Principal } from '@dcrm/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { accountContact } from '../clients/customer-contact.js';
import { type CommentChannel, type ITicket, type ITicketComment, Ticket, TicketComment } from '../entities/index.js';
import { recordComment } from './comments.js';
import { replyTargetOf } from './reply-token.js';
import type { TicketServices } from './services.js';
import type { ErrorCode, Result } from './ticket.errors.js';

export type TicketReplyReceiveInput = {
  replyToken: string;
  channel: CommentChannel;
  from: string;
  body: string;
  providerMessageId: string;
  receivedAt?: Date | null;
};

const f = (name: string) => ['input', name];

/** The address of an email `From` (`"Name" <a@b>` or `a@b`), lower case. */
export const emailAddressOf = (from: string): string => (/<([^<>\s]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
/** A phone number as digits with its leading +, for comparing E.164 numbers however they were spaced. */
export const phoneOf = (from: string): string => from.replace(/[^\d+]/g, '').replace(/^00/, '+');

/** Whether an inbound message came from the account's registered email (EMAIL) or mobile (SMS). */
export function senderMatches(channel: CommentChannel, from: string, account: { email: string; mobile: string | null }): boolean {
  if (channel === 'EMAIL') return emailAddressOf(from) === account.email.trim().toLowerCase();
  if (channel === 'SMS') return !!account.mobile && phoneOf(from) === phoneOf(account.mobile);
  return false;
}

/**
 * An email or SMS reply to a ticket notification, from the inbound gateway (a service of the brand):
 * recorded as the customer's public comment with its channel, once per provider message id. The token
 * names the ticket and account (dcrm signed it); the sender must be the account's registered email or
 * mobile. The reply tells the ticket's handlers like any customer comment (the resolver, after commit).
 */
export async function ticketReplyReceive(
  em: EntityManager,
  services: TicketServices,
  principal: Principal,
  input: TicketReplyReceiveInput,
): Promise<Result<{ comment: ITicketComment; ticket: ITicket; duplicate: boolean }>> {
  const checks = new Checks<ErrorCode>();
  checks.text(input.body, f('body'), 10_000);
  checks.text(input.from, f('from'), 320);
  checks.text(input.providerMessageId, f('providerMessageId'), 200);
  if (input.channel !== 'EMAIL' && input.channel !== 'SMS') checks.add('INVALID', 'Replies arrive by EMAIL or SMS', f('channel'));
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const target = replyTargetOf(input.replyToken);
  // A token of another brand reads like a forged one: the gateway acts for one brand at a time.
  if (!target || target.storefrontId !== principal.storefrontId || !isUuid(target.ticketId) || !isUuid(target.customerId)) {
    return fail('INVALID_TOKEN', 'Not a reply token of this brand', f('replyToken'));
  }
  const account = await accountContact(services.peers, target.storefrontId, target.customerId);
  if (!account) return fail('NOT_FOUND', 'No such ticket', f('replyToken'));
  if (!senderMatches(input.channel, input.from, account)) {
    return fail('SENDER_MISMATCH', "The sender is not the account's registered email or mobile", f('from'));
  }
  const now = services.clock.now();
  const at = input.receivedAt && input.receivedAt <= now ? input.receivedAt : now;
  return em.transactional(async (tx) => {
    const ticket = await tx.findOne(
      Ticket,
      { id: target.ticketId, customerId: target.customerId, storefrontId: target.storefrontId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!ticket) return fail('NOT_FOUND', 'No such ticket', f('replyToken'));
    // The ticket is locked: a provider's retry of the same message waits here and finds the first.
    const same = await tx.findOne(TicketComment, { channel: input.channel, providerMessageId: input.providerMessageId.trim() });
    if (same) return ok({ comment: same, ticket, duplicate: true });
    if (['CLOSED', 'CANCELLED', 'REJECTED'].includes(ticket.status)) {
      return fail('TICKET_CLOSED', `A ${ticket.status} ticket takes no more comments: raise a new one`, f('replyToken'));
    }
    const comment = await recordComment(
      tx,
      services,
      ticket,
      {
        actor: 'CUSTOMER',
        actorId: target.customerId,
        internal: false,
        body: input.body,
        files: [],
        channel: input.channel,
        providerMessageId: input.providerMessageId.trim(),
      },
      at,
    );
    if ('error' in comment) return { ok: false as const, errors: [comment.error] };
    return ok({ comment, ticket, duplicate: false });
  });
}
