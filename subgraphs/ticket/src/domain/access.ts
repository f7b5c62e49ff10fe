import { type AccountRowFilter, accountRowScope, actingStorefront, forbidden, hasScope, type Principal, withAccountTree } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { ActorKind, ITicket } from '../entities/index.js';

/** Staff read tickets with this scope and work on them with `ticket:write`; chatbot keys raise them with `ticket:create`. */
export const TICKET_READ = 'ticket:read';
export const TICKET_WRITE = 'ticket:write';
export const TICKET_CREATE = 'ticket:create';

/**
 * Tickets a principal may see, as a filter (null: none): the customer's own, a partner's accounts',
 * staff's segments when they hold `ticket:read` — always within a storefront the principal may act on.
 * Rows copy the account's segment and partner when raised, so no other subgraph is asked.
 */
export function ticketScope(principal: Principal): FilterQuery<ITicket> | null {
  if (!actingStorefront(principal)) return null;
  if (principal.kind === 'staff' && !hasScope(principal, TICKET_READ)) return null;
  if (principal.kind !== 'customer' && principal.kind !== 'staff' && principal.kind !== 'partner') return null;
  return accountRowScope(principal) as FilterQuery<ITicket> | null;
}

/**
 * Tickets a principal may read: `ticketScope`, and for a business account's holder also the tickets of
 * its sub-accounts (`tree`: kit `accountTreeOf`, the customer subgraph's answer). Writes keep to `ticketScope`.
 */
export function ticketReadScope(principal: Principal, tree: readonly string[]): FilterQuery<ITicket> | null {
  return withAccountTree(ticketScope(principal) as AccountRowFilter | null, principal, tree) as FilterQuery<ITicket> | null;
}

/** Staff see internal comments and attachments (they hold `ticket:read` to see the ticket at all). */
export const seesInternal = (principal: Principal) => principal.kind === 'staff' && hasScope(principal, TICKET_READ);

/**
 * Who the principal is on a ticket it writes to: CUSTOMER, PARTNER, STAFF (with `ticket:write`), or
 * API_KEY for a server-side key holding `ticket:create` (raising only). Anyone else is refused.
 */
export function writerOf(principal: Principal, forCreate = false): ActorKind {
  if (principal.kind === 'customer' && principal.id) return 'CUSTOMER';
  if (principal.kind === 'partner' && principal.partnerId) return 'PARTNER';
  if (principal.kind === 'staff') {
    if (!hasScope(principal, TICKET_WRITE)) throw forbidden(`Missing scope ${TICKET_WRITE}`);
    return 'STAFF';
  }
  if (forCreate && principal.kind === 'anonymous' && hasScope(principal, TICKET_CREATE)) return 'API_KEY';
  throw forbidden('Not allowed to write tickets');
}

/** What the history and comments record as the actor: the principal's id (customer, staff member, partner user or key). */
export const actorIdOf = (principal: Principal): string | null => principal.id;
