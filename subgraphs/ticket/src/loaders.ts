import {
  accountTreeOf,
  byId,
  cursorDate,
  cursorId,
  isAccountAdmin,
  type OrmKey,
  type Principal,
  parentPages,
  windowByParent,
} from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { seesInternal, ticketReadScope, ticketScope } from './domain/access.js';
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
import { createSlaLoaders } from './sla-loaders.js';

// A customer's tickets, newest first.
const NEWEST_KEYS: OrmKey[] = [
  { field: 'createdAt', dir: 'desc', parse: cursorDate },
  { field: 'id', dir: 'desc', parse: cursorId },
];

// A ticket's comments and attachments, oldest first.
const OLDEST_KEYS: OrmKey[] = [
  { field: 'createdAt', dir: 'asc', parse: cursorDate },
  { field: 'id', dir: 'asc', parse: cursorId },
];
// A ticket's life-cycle moves, oldest first.
const HISTORY_KEYS: OrmKey[] = [
  { field: 'at', dir: 'asc', parse: cursorDate },
  { field: 'id', dir: 'asc', parse: cursorId },
];

export type TicketLoaders = ReturnType<typeof createTicketLoaders>;
export type Outstanding = { openCount: number; breachedCount: number; oldestOpenAt: Date | null };

/**
 * Per-request loaders. Tickets come only from `ticketScope`; comments, attachments and history are
 * loaded for tickets already visible (their parent resolved through the scope), internal ones only
 * for staff.
 */
export function createTicketLoaders(em: EntityManager, principal: Principal, services: TicketServices) {
  const scope = ticketScope(principal);
  // A business account's holder also reads its sub-accounts' tickets: the tree is asked once per request.
  let read: Promise<FilterQuery<ITicket> | null> | null = null;
  const readScope = () => {
    read ??=
      scope && isAccountAdmin(principal)
        ? accountTreeOf(services.peers('customer'), principal).then((tree) => ticketReadScope(principal, tree))
        : Promise.resolve(scope);
    return read;
  };
  const internal = seesInternal(principal);
  const none = <T>() => Promise.resolve([] as T[]);
  return {
    scope,
    readScope,
    ticket: byId<ITicket>(
      async (ids) => {
        const visible = await readScope();
        return visible ? em.find(Ticket, { $and: [visible, { id: { $in: [...ids] } }] }) : [];
      },
      (t) => t.id,
    ),
    knowledge: createKnowledgeLoaders(em, principal),
    /** Pages of a customer's tickets, newest first: one statement per page request and status filter, however many customers. */
    customerTickets: parentPages<ITicket, readonly TicketStatus[] | null>(
      async (parents, page, status) => {
        const visible = await readScope();
        const where: FilterQuery<ITicket> = visible ? { $and: [visible, status?.length ? { status: { $in: [...status] } } : {}] } : {};
        return visible ? windowByParent(em, Ticket, 'customerId', parents, where, NEWEST_KEYS, page) : [];
      },
      { sort: 'NEWEST', arity: 2, keyOf: (t) => [t.createdAt.toISOString(), t.id], parentOf: (t) => t.customerId },
    ),
    /** Pages of an order's tickets, newest first, like an account's. */
    orderTickets: parentPages<ITicket>(
      async (parents, page) => {
        const visible = await readScope();
        return visible ? windowByParent(em, Ticket, 'relatedOrderId', parents, visible, NEWEST_KEYS, page) : [];
      },
      { sort: 'NEWEST', arity: 2, keyOf: (t) => [t.createdAt.toISOString(), t.id], parentOf: (t) => t.relatedOrderId ?? null },
    ),
    /** Open tickets per account, counted from their open rows (few per account). */
    outstanding: byId<Outstanding & { id: string }>(
      async (ids) => {
        const visible = await readScope();
        if (!visible) return [];
        const open = await em.find(
          Ticket,
          { $and: [visible, { customerId: { $in: [...ids] } }, { status: { $in: [...OPEN_STATUSES] } }] },
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
    /** Pages of tickets' comments, oldest first: public ones, or (`filter` true, staff only) internal ones. */
    comments: parentPages<ITicketComment, boolean>(
      (parents, page, internalOnes) =>
        internalOnes && !internal
          ? none()
          : windowByParent(em, TicketComment, 'ticketId', parents, { internal: internalOnes === true }, OLDEST_KEYS, page),
      { sort: 'OLDEST', arity: 2, keyOf: (c) => [c.createdAt.toISOString(), c.id], parentOf: (c) => c.ticketId },
    ),
    /** Pages of tickets' attachments (metadata; the content is lazy), oldest first; internal ones for staff only. */
    attachments: parentPages<ITicketAttachment>(
      (parents, page) => windowByParent(em, TicketAttachment, 'ticketId', parents, internal ? {} : { internal: false }, OLDEST_KEYS, page),
      { sort: 'OLDEST', arity: 2, keyOf: (a) => [a.createdAt.toISOString(), a.id], parentOf: (a) => a.ticketId },
    ),
    /** Pages of tickets' life-cycle moves, oldest first. */
    history: parentPages<ITicketStatusChange>(
      (parents, page) => windowByParent(em, TicketStatusChange, 'ticketId', parents, {}, HISTORY_KEYS, page),
      { sort: 'OLDEST', arity: 2, keyOf: (h) => [h.at.toISOString(), h.id], parentOf: (h) => h.ticketId },
    ),
    sla: createSlaLoaders(em),
  };
}
