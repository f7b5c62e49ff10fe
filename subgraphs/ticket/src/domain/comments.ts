import { Checks, fail, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ActorKind,
  type CommentChannel,
  type ITicket,
  type ITicketComment,
  TicketAttachment,
  TicketComment,
} from '../entities/index.js';
import { actorIdOf, writerOf } from './access.js';
import { type AttachmentInput, type DecodedAttachment, decodeAttachments } from './attachments.js';
import { lifecycleSettings } from './lifecycle.js';
import type { TicketServices } from './services.js';
import { slaSync } from './sla/sync.js';
import type { ErrorCode, Result, UserError } from './ticket.errors.js';
import { ticketForWrite } from './ticket-load.js';
import { applyMove } from './ticket-move.js';

export type TicketCommentAddInput = { ticketId: string; body: string; internal?: boolean | null; attachments?: AttachmentInput[] | null };

/**
 * A comment (with files) on a ticket the caller may see. Internal comments are staff notes. A staff
 * member's first public comment is the ticket's first response; the customer's or partner's reply to a
 * ticket PENDING on them moves it back to IN_PROGRESS. Final tickets take internal notes only.
 */
export async function ticketCommentAdd(
  em: EntityManager,
  services: TicketServices,
  principal: Principal,
  input: TicketCommentAddInput,
): Promise<Result<{ comment: ITicketComment; ticket: ITicket }>> {
  const actor = writerOf(principal);
  const internal = input.internal ?? false;
  const checks = new Checks<ErrorCode>();
  checks.text(input.body, ['input', 'body'], 10_000);
  if (internal && actor !== 'STAFF') checks.add('FORBIDDEN', 'Only staff write internal comments', ['input', 'internal']);
  const { files, errors } = decodeAttachments(input.attachments, ['input', 'attachments']);
  checks.errors.push(...errors);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const now = services.clock.now();
  return em.transactional(async (tx) => {
    const found = await ticketForWrite(tx, principal, input.ticketId, null, ['input', 'ticketId']);
    if (!found.ok) return found;
    const ticket = found.value;
    if (!internal && ['CLOSED', 'CANCELLED', 'REJECTED'].includes(ticket.status)) {
      return fail('TICKET_CLOSED', `A ${ticket.status} ticket takes no more comments: raise a new one`, ['input', 'ticketId']);
    }
    const comment = await recordComment(
      tx,
      services,
      ticket,
      { actor, actorId: actorIdOf(principal), internal, body: input.body, files, channel: 'API', providerMessageId: null },
      now,
    );
    if ('error' in comment) return { ok: false as const, errors: [comment.error] };
    return ok({ comment, ticket });
  });
}

/** A comment as it is recorded: who wrote it, how it arrived, and its files. */
export type CommentRecord = {
  actor: ActorKind;
  actorId: string | null;
  internal: boolean;
  body: string;
  files: DecodedAttachment[];
  channel: CommentChannel;
  providerMessageId: string | null;
};

/**
 * Records a comment on a ticket locked for this transaction (whoever checked the writer): its files,
 * the first response when staff answer in public, and the move back to IN_PROGRESS when the
 * customer's side replies to a ticket PENDING on them.
 */
export async function recordComment(
  tx: EntityManager,
  services: TicketServices,
  ticket: ITicket,
  record: CommentRecord,
  now: Date,
): Promise<ITicketComment | { error: UserError }> {
  const { actor, actorId, internal, files } = record;
  const comment = tx.create(TicketComment, {
    ticketId: ticket.id,
    storefrontId: ticket.storefrontId,
    customerId: ticket.customerId,
    internal,
    authorKind: actor,
    authorId: actorId,
    body: record.body.trim(),
    channel: record.channel,
    providerMessageId: record.providerMessageId,
    createdAt: now,
  });
  for (const file of files) {
    tx.create(TicketAttachment, {
      ticketId: ticket.id,
      storefrontId: ticket.storefrontId,
      internal,
      ...file,
      uploadedByKind: actor,
      uploadedById: actorId,
      createdAt: now,
    });
  }
  if (actor === 'STAFF' && !internal && !ticket.firstRespondedAt) {
    ticket.firstRespondedAt = now;
    await slaSync(tx, services, ticket, now); // the response clock stops
  }
  if (actor !== 'STAFF' && ticket.status === 'PENDING') {
    const moved = await applyMove(
      tx,
      services,
      lifecycleSettings(),
      ticket,
      { to: 'IN_PROGRESS', actor, actorId, reason: 'Reply received' },
      now,
    );
    if ('error' in moved) return moved;
  }
  return comment;
}
