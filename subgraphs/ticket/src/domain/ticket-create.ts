import { actingStorefront, Checks, fail, forbidden, isUuid, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { accountOf, logTicketInteraction } from '../clients/customer.js';
import {
  type ActorKind,
  type ITicket,
  Ticket,
  TicketAttachment,
  type TicketCategory,
  type TicketChannel,
  type TicketPriority,
  type TicketSeverity,
  TicketStatusChange,
} from '../entities/index.js';
import { actorIdOf, writerOf } from './access.js';
import { type AttachmentInput, decodeAttachments } from './attachments.js';
import type { TicketServices } from './services.js';
import { autoAssign } from './sla/assignment.js';
import { slaSync } from './sla/sync.js';
import type { ErrorCode, Result } from './ticket.errors.js';

export type TicketCreateInput = {
  customerId?: string | null;
  channel?: TicketChannel | null;
  category: TicketCategory;
  priority?: TicketPriority | null;
  severity?: TicketSeverity | null;
  subject: string;
  description: string;
  relatedOrderId?: string | null;
  relatedProductId?: string | null;
  relatedContractId?: string | null;
  attachments?: AttachmentInput[] | null;
};

const DEFAULT_CHANNEL: Record<ActorKind, TicketChannel> = {
  CUSTOMER: 'SELF_CARE',
  API_KEY: 'CHATBOT',
  PARTNER: 'PARTNER',
  STAFF: 'PHONE',
  SYSTEM: 'PORTAL',
};

/** Text and reference checks shared by create and update. */
export function checkTicketText(
  checks: Checks<ErrorCode>,
  input: {
    subject?: string | null;
    description?: string | null;
    relatedOrderId?: string | null;
    relatedProductId?: string | null;
    relatedContractId?: string | null;
  },
) {
  checks.text(input.subject, ['input', 'subject'], 200);
  checks.text(input.description, ['input', 'description'], 10_000);
  checks.uuid(input.relatedOrderId, ['input', 'relatedOrderId']);
  checks.uuid(input.relatedProductId, ['input', 'relatedProductId']);
  checks.text(input.relatedContractId, ['input', 'relatedContractId'], 100, false);
}

/**
 * Raises a ticket on an account the caller may see: a customer's own, a partner's account, an account
 * of a staff member's segments, or any account of a chatbot key's storefront. Segment and partner are
 * copied from the account. A ticket an agent raises is logged on the account as an interaction.
 */
export async function ticketCreate(
  em: EntityManager,
  services: TicketServices,
  principal: Principal,
  input: TicketCreateInput,
): Promise<Result<ITicket>> {
  const actor = writerOf(principal, true);
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) throw forbidden('No storefront to raise a ticket in');
  const checks = new Checks<ErrorCode>();
  checkTicketText(checks, input);
  const customerId = actor === 'CUSTOMER' ? (input.customerId ?? principal.id) : input.customerId;
  if (!customerId) checks.add('REQUIRED', 'Name the account', ['input', 'customerId']);
  const { files, errors } = decodeAttachments(input.attachments, ['input', 'attachments']);
  checks.errors.push(...errors);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  // A customer raises tickets on their own account only; another id reads as one that does not exist.
  if (!customerId || !isUuid(customerId) || (actor === 'CUSTOMER' && customerId !== principal.id)) {
    return fail('NOT_FOUND', 'No such account', ['input', 'customerId']);
  }
  const account = await accountOf(services.peers, principal, customerId);
  if (!account) return fail('NOT_FOUND', 'No such account', ['input', 'customerId']);
  const selfRaised = actor === 'CUSTOMER' || actor === 'API_KEY';
  const requested = input.priority ?? 'MEDIUM';
  const now = services.clock.now();
  const ticket = await em.transactional(async (tx) => {
    const row = tx.create(Ticket, {
      storefrontId,
      customerId,
      segment: account.segment,
      partnerId: account.partner?.id ?? null,
      raisedByKind: actor === 'SYSTEM' ? 'STAFF' : actor,
      raisedById: actorIdOf(principal),
      channel: input.channel ?? DEFAULT_CHANNEL[actor],
      category: input.category,
      // Self-raised tickets cannot jump the queue: CRITICAL is for staff to set.
      priority: selfRaised && requested === 'CRITICAL' ? 'HIGH' : requested,
      severity: input.severity ?? 'MINOR',
      status: 'ACKNOWLEDGED',
      subject: input.subject.trim(),
      description: input.description.trim(),
      relatedOrderId: input.relatedOrderId ?? null,
      relatedProductId: input.relatedProductId ?? null,
      relatedContractId: input.relatedContractId?.trim() || null,
      createdAt: now,
      updatedAt: now,
      statusChangedAt: now,
    });
    tx.create(TicketStatusChange, {
      ticketId: row.id,
      storefrontId,
      fromStatus: null,
      toStatus: 'ACKNOWLEDGED',
      actorKind: actor,
      actorId: actorIdOf(principal),
      reason: null,
      at: now,
    });
    for (const file of files) {
      tx.create(TicketAttachment, {
        ticketId: row.id,
        storefrontId,
        internal: false,
        ...file,
        uploadedByKind: actor,
        uploadedById: actorIdOf(principal),
        createdAt: now,
      });
    }
    // SLA, assignment, escalation: the policy's clock starts with the ticket.
    await slaSync(tx, services, row, now, { retarget: true });
    return row;
  });
  if (actor === 'STAFF') await logTicketInteraction(services.peers, principal, ticket);
  const assigned = await autoAssign(em, services, ticket.id);
  if (assigned) Object.assign(ticket, { teamId: assigned.teamId, assigneeStaffId: assigned.assigneeStaffId });
  return ok(ticket);
}
