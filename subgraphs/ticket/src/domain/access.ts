import { accountRowScope, actingStorefront, hasScope, type Principal } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { ITicket } from '../entities/index.js';

/** Staff read tickets with this scope and work on them with `ticket:write`. */
export const TICKET_READ = 'ticket:read';
export const TICKET_WRITE = 'ticket:write';

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
