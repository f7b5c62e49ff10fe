import { byId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ISlaPolicy, type ITicketSla, SlaPolicy, TicketSla } from './entities/index.js';

/** Per-request loaders of SLA clocks and policies, for tickets already visible (their parent went through the scope). */
export function createSlaLoaders(em: EntityManager) {
  return {
    clock: byId<ITicketSla>(
      (ids) => em.find(TicketSla, { ticketId: { $in: [...ids] } }),
      (s) => s.ticketId,
    ),
    policy: byId<ISlaPolicy>(
      (ids) => em.find(SlaPolicy, { id: { $in: [...ids] } }),
      (p) => p.id,
    ),
  };
}
