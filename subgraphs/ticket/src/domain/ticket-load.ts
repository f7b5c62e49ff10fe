import { fail, isUuid, ok, type Principal } from '@dcrm/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ITicket, Ticket } from '../entities/index.js';
import { ticketScope } from './access.js';
import type { Result } from './ticket.errors.js';

/**
 * A ticket the principal may see, locked for this transaction; with `version`, only if that is still
 * its version (CONFLICT otherwise). Tickets outside the principal's scope read as NOT_FOUND.
 */
export async function ticketForWrite(
  tx: EntityManager,
  principal: Principal,
  id: string,
  version?: number | null,
  field: string[] = ['input', 'id'],
): Promise<Result<ITicket>> {
  const scope = ticketScope(principal);
  if (!scope || !isUuid(id)) return fail('NOT_FOUND', 'No such ticket', field);
  const ticket = await tx.findOne(Ticket, { $and: [scope, { id }] }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!ticket) return fail('NOT_FOUND', 'No such ticket', field);
  if (version != null && ticket.version !== version) {
    return fail('CONFLICT', 'The ticket changed since it was read: read it again', ['input', 'version']);
  }
  return ok(ticket);
}
