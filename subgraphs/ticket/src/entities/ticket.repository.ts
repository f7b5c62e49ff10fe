import { badInput, isUuid, type Page } from '@dcrm/kit';
import type { FilterQuery, QueryOrderMap } from '@mikro-orm/core';
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

const ORDER: Record<TicketSort, QueryOrderMap<ITicket>[]> = {
  NEWEST: [{ createdAt: 'desc' }, { id: 'desc' }],
  OLDEST: [{ createdAt: 'asc' }, { id: 'asc' }],
  PRIORITY: [{ priorityRank: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
};

const time = (value: unknown): Date => {
  const at = typeof value === 'string' ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) throw badInput('Malformed cursor', 'after');
  return at;
};
const uuid = (value: unknown): string => {
  if (!isUuid(value)) throw badInput('Malformed cursor', 'after');
  return value;
};

function after(sort: TicketSort, values: unknown[] | null): FilterQuery<ITicket> {
  if (!values) return {};
  if (sort === 'PRIORITY') {
    const [rank, createdAt, id] = [values[0], time(values[1]), uuid(values[2])];
    if (typeof rank !== 'number') throw badInput('Malformed cursor', 'after');
    return {
      $or: [
        { priorityRank: { $gt: rank } },
        { priorityRank: rank, createdAt: { $gt: createdAt } },
        { priorityRank: rank, createdAt, id: { $gt: id } },
      ],
    };
  }
  const [createdAt, id] = [time(values[0]), uuid(values[1])];
  const op = sort === 'NEWEST' ? '$lt' : '$gt';
  return { $or: [{ createdAt: { [op]: createdAt } }, { createdAt, id: { [op]: id } }] };
}

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
  return em.find(Ticket, { $and: [scope, ticketFilter(filter), after(sort, page.after)] }, { orderBy: ORDER[sort], limit: page.limit + 1 });
}
