import { Checks, fail, isUuid, ok, type Principal } from '@dcrm/kit';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffExists } from '../clients/customer.js';
import type { ITicket, TicketCategory, TicketPriority, TicketSeverity, TicketStatus } from '../entities/index.js';
import { actorIdOf, writerOf } from './access.js';
import { publishCommitted } from './events.js';
import { lifecycleSettings } from './lifecycle.js';
import type { TicketServices } from './services.js';
import { slaSync } from './sla/sync.js';
import type { ErrorCode, Result } from './ticket.errors.js';
import { checkTicketText } from './ticket-create.js';
import { ticketForWrite } from './ticket-load.js';
import { applyMove } from './ticket-move.js';

const FINAL: readonly TicketStatus[] = ['CLOSED', 'CANCELLED', 'REJECTED'];

/** Runs a change in one transaction; a concurrent change caught by the version column reads as CONFLICT. */
async function write<T>(em: EntityManager, change: (tx: EntityManager) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await em.transactional(change);
  } catch (error) {
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The ticket changed meanwhile: read it again', ['input', 'version']);
    throw error;
  }
}

export type TicketUpdateInput = {
  id: string;
  version: number;
  category?: TicketCategory | null;
  priority?: TicketPriority | null;
  severity?: TicketSeverity | null;
  subject?: string | null;
  description?: string | null;
  relatedOrderId?: string | null;
  relatedProductId?: string | null;
  relatedContractId?: string | null;
};

/** Staff: changes what a ticket is about; a closed, cancelled or rejected ticket stays as it was. */
export async function ticketUpdate(
  em: EntityManager,
  principal: Principal,
  input: TicketUpdateInput,
  services?: TicketServices,
): Promise<Result<ITicket>> {
  writerOf(principal);
  const checks = new Checks<ErrorCode>();
  checkTicketText(checks, input);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return write(em, async (tx) => {
    const found = await ticketForWrite(tx, principal, input.id, input.version);
    if (!found.ok) return found;
    const ticket = found.value;
    if (FINAL.includes(ticket.status)) return fail('TICKET_CLOSED', `A ${ticket.status} ticket cannot be changed`, ['input', 'id']);
    if (input.category) ticket.category = input.category;
    if (input.priority) ticket.priority = input.priority;
    if (input.severity) ticket.severity = input.severity;
    if (input.subject != null) ticket.subject = input.subject.trim();
    if (input.description != null) ticket.description = input.description.trim();
    if (input.relatedOrderId !== undefined) ticket.relatedOrderId = input.relatedOrderId;
    if (input.relatedProductId !== undefined) ticket.relatedProductId = input.relatedProductId;
    if (input.relatedContractId !== undefined) ticket.relatedContractId = input.relatedContractId?.trim() || null;
    // SLA, assignment, escalation: another priority or category may mean another policy.
    if (services && (input.priority || input.category)) await slaSync(tx, services, ticket, services.clock.now(), { retarget: true });
    return ok(ticket);
  });
}

export type TicketAssignInput = { id: string; version: number; assigneeStaffId?: string | null; teamId?: string | null };

/** Staff: manual (re)assignment to an agent of their brand and/or a team (rules-based assignment builds on this). */
export async function ticketAssign(
  em: EntityManager,
  services: TicketServices,
  principal: Principal,
  input: TicketAssignInput,
): Promise<Result<ITicket>> {
  writerOf(principal);
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.assigneeStaffId, ['input', 'assigneeStaffId']);
  checks.uuid(input.teamId, ['input', 'teamId']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (input.assigneeStaffId && !(await staffExists(services.peers, principal, input.assigneeStaffId))) {
    return fail('NOT_FOUND', 'No such staff member in this storefront', ['input', 'assigneeStaffId']);
  }
  return write(em, async (tx) => {
    const found = await ticketForWrite(tx, principal, input.id, input.version);
    if (!found.ok) return found;
    const ticket = found.value;
    if (FINAL.includes(ticket.status)) return fail('TICKET_CLOSED', `A ${ticket.status} ticket cannot be assigned`, ['input', 'id']);
    if (input.assigneeStaffId !== undefined) ticket.assigneeStaffId = input.assigneeStaffId;
    if (input.teamId !== undefined) ticket.teamId = input.teamId;
    return ok(ticket);
  });
}

export type TicketTransitionInput = {
  id: string;
  version?: number | null;
  to: TicketStatus;
  reason?: string | null;
  resolution?: string | null;
};

/** A life-cycle move as the table allows the caller (see lifecycle.ts); `ticket.resolved` is published after the commit. */
export async function ticketTransition(
  em: EntityManager,
  services: TicketServices,
  principal: Principal,
  input: TicketTransitionInput,
): Promise<Result<ITicket>> {
  const actor = writerOf(principal);
  const checks = new Checks<ErrorCode>();
  checks.text(input.reason, ['input', 'reason'], 1000, false);
  checks.text(input.resolution, ['input', 'resolution'], 10_000, false);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (!isUuid(input.id)) return fail('NOT_FOUND', 'No such ticket', ['input', 'id']);
  const now = services.clock.now();
  let eventId: string | null = null;
  const result = await write(em, async (tx) => {
    const found = await ticketForWrite(tx, principal, input.id, input.version);
    if (!found.ok) return found;
    const moved = await applyMove(tx, services, lifecycleSettings(), found.value, { ...input, actor, actorId: actorIdOf(principal) }, now);
    if ('error' in moved) return { ok: false as const, errors: [moved.error] };
    eventId = moved.eventId;
    return ok(found.value);
  });
  if (result.ok) await publishCommitted(em, services, [eventId]);
  return result;
}

/** The account holder confirms the resolution: RESOLVED → CLOSED. */
export const ticketConfirmResolution = (em: EntityManager, services: TicketServices, principal: Principal, id: string) =>
  ticketTransition(em, services, principal, { id, to: 'CLOSED' });
