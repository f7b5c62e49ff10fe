import { byId, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ticketScope } from './domain/access.js';
import type { TicketServices } from './domain/services.js';
import { type ITicket, Ticket } from './entities/index.js';
import { createKnowledgeLoaders } from './knowledge-loaders.js';

export type TicketLoaders = ReturnType<typeof createTicketLoaders>;

/** Per-request loaders: every row they return is one the principal may see (`ticketScope`). */
export function createTicketLoaders(em: EntityManager, principal: Principal, _services: TicketServices) {
  const scope = ticketScope(principal);
  return {
    scope,
    ticket: byId<ITicket>(
      (ids) => (scope ? em.find(Ticket, { $and: [scope, { id: { $in: [...ids] } }] }) : Promise.resolve([])),
      (t) => t.id,
    ),
    knowledge: createKnowledgeLoaders(em, principal),
  };
}
