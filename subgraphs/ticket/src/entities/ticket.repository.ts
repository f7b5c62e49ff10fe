import { badInput, cursorDate, cursorId, keysetOrderBy, keysetWhere, type OrmKey, type Page, type SortDir } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ITicket, Ticket, type TicketCategory, type TicketPriority, type TicketStatus } from './ticket.entity.js';

export type TicketSort = 'NEWEST' | 'OLDEST' | 'PRIORITY';
export type TicketFilter = {
  status?: readonly TicketStatus[] | null;
  priority?: readonly TicketPriority[] | null;
  category?: readonly TicketCategory[] | null;
  customerId?: string | null;
};

/** How many values a sort's cursor carries, and the values of a row. */
export const SORT_KEYS: Record<TicketSort, (t: ITicket) => (string | number)[]> = {
  NEWEST: (t) => [t.createdAt.toISOString(), t.id],
  OLDEST: (t) => [t.createdAt.toISOString(), t.id],
  PRIORITY: (t) => [t.priorityRank ?? 3, t.createdAt.toISOString(), t.id],
};

const rank = (value: unknown): number => {
  if (typeof value !== 'number') throw badInput('Malformed cursor');
  return value;
};
const createdAt = (dir: SortDir): OrmKey => ({ field: 'createdAt', dir, parse: cursorDate });
const id = (dir: SortDir): OrmKey => ({ field: 'id', dir, parse: cursorId });
const KEYS: Record<TicketSort, OrmKey[]> = {
  NEWEST: [createdAt('desc'), id('desc')],
  OLDEST: [createdAt('asc'), id('asc')],
  PRIORITY: [{ field: 'priorityRank', dir: 'asc', parse: rank }, createdAt('asc'), id('asc')],
};

/** The filter's conditions (empty lists and nulls: no condition). */
export function ticketFilter(filter: TicketFilter): FilterQuery<ITicket> {
  const where: FilterQuery<ITicket>[] = [];
  if (filter.status?.length) where.push({ status: { $in: [...filter.status] } });
  if (filter.priority?.length) where.push({ priority: { $in: [...filter.priority] } });
  if (filter.category?.length) where.push({ category: { $in: [...filter.category] } });
  if (filter.customerId) where.push({ customerId: filter.customerId });
  return where.length ? { $and: where } : {};
}

/** One page of the tickets `scope` admits, in `sort` order; one row past the page tells whether there is a next. */
export function ticketsPage(
  em: EntityManager,
  scope: FilterQuery<ITicket>,
  filter: TicketFilter,
  sort: TicketSort,
  page: Page,
): Promise<ITicket[]> {
  return em.find(
    Ticket,
    { $and: [scope, ticketFilter(filter), keysetWhere(KEYS[sort], page) as FilterQuery<ITicket>] },
    {
      orderBy: keysetOrderBy(KEYS[sort], page),
      limit: page.limit + 1,
    },
  );
}
