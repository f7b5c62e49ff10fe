import { byId, groupedBy, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { seesInternal, ticketScope } from './domain/access.js';
import type { TicketServices } from './domain/services.js';
import {
  type ITicket,
  type ITicketAttachment,
  type ITicketComment,
  type ITicketStatusChange,
  OPEN_STATUSES,
  Ticket,
  TicketAttachment,
  TicketComment,
  type TicketStatus,
  TicketStatusChange,
} from './entities/index.js';
import { createKnowledgeLoaders } from './knowledge-loaders.js';

export type TicketLoaders = ReturnType<typeof createTicketLoaders>;
export type Outstanding = { openCount: number; breachedCount: number; oldestOpenAt: Date | null };

const ATTACHMENT_FIELDS = [
  'id',
  'ticketId',
  'storefrontId',
  'internal',
  'fileName',
  'contentType',
  'sizeBytes',
  'sha256',
  'uploadedByKind',
  'uploadedById',
  'createdAt',
] as const;

/**
 * Per-request loaders. Tickets come only from `ticketScope`; comments, attachments and history are
 * loaded for tickets already visible (their parent resolved through the scope), internal ones only
 * for staff.
 */
export function createTicketLoaders(em: EntityManager, principal: Principal, _services: TicketServices) {
  const scope = ticketScope(principal);
  const internal = seesInternal(principal);
  const none = <T>() => Promise.resolve([] as T[]);
  const perStatus = new Map<string, DataLoader<string, ITicket[]>>();
  return {
    scope,
    ticket: byId<ITicket>(
      (ids) => (scope ? em.find(Ticket, { $and: [scope, { id: { $in: [...ids] } }] }) : none()),
      (t) => t.id,
    ),
    knowledge: createKnowledgeLoaders(em, principal),
    /** A customer's tickets, newest first, per status filter (one statement per filter). */
    customerTickets: (status: readonly TicketStatus[] | null | undefined) => {
      const key = JSON.stringify(status ?? null);
      let loader = perStatus.get(key);
      if (!loader) {
        loader = groupedBy<ITicket>(
          (ids) =>
            scope
              ? em.find(
                  Ticket,
                  { $and: [scope, { customerId: { $in: [...ids] } }, status?.length ? { status: { $in: [...status] } } : {}] },
                  { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
                )
              : none(),
          (t) => t.customerId,
        );
        perStatus.set(key, loader);
      }
      return loader;
    },
    orderTickets: groupedBy<ITicket>(
      (ids) =>
        scope
          ? em.find(Ticket, { $and: [scope, { relatedOrderId: { $in: [...ids] } }] }, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })
          : none(),
      (t) => t.relatedOrderId as string,
    ),
    /** Open tickets per account, counted from their open rows (few per account). */
    outstanding: byId<Outstanding & { id: string }>(
      async (ids) => {
        if (!scope) return [];
        const open = await em.find(
          Ticket,
          { $and: [scope, { customerId: { $in: [...ids] } }, { status: { $in: [...OPEN_STATUSES] } }] },
          { fields: ['id', 'customerId', 'breached', 'createdAt'] },
        );
        return ids.map((id) => {
          const rows = open.filter((t) => t.customerId === id);
          const oldest = rows.reduce<Date | null>((min, t) => (!min || t.createdAt < min ? t.createdAt : min), null);
          return { id, openCount: rows.length, breachedCount: rows.filter((t) => t.breached).length, oldestOpenAt: oldest };
        });
      },
      (o) => o.id,
    ),
    publicComments: groupedBy<ITicketComment>(
      (ids) => em.find(TicketComment, { ticketId: { $in: [...ids] }, internal: false }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
      (c) => c.ticketId,
    ),
    internalComments: groupedBy<ITicketComment>(
      (ids) =>
        internal
          ? em.find(TicketComment, { ticketId: { $in: [...ids] }, internal: true }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })
          : none(),
      (c) => c.ticketId,
    ),
    attachments: groupedBy<ITicketAttachment>(
      (ids) =>
        em.find(
          TicketAttachment,
          { ticketId: { $in: [...ids] }, ...(internal ? {} : { internal: false }) },
          {
            fields: [...ATTACHMENT_FIELDS],
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          },
        ) as Promise<ITicketAttachment[]>,
      (a) => a.ticketId,
    ),
    history: groupedBy<ITicketStatusChange>(
      (ids) => em.find(TicketStatusChange, { ticketId: { $in: [...ids] } }, { orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
      (h) => h.ticketId,
    ),
  };
}
