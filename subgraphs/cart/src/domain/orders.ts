import { fail, isUuid, ok, type Page, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOrder, Order, OrderEvent, type OrderStatus, ordersIn, ordersPage, ordersPageOfEach } from '../entities/index.js';
import { orderScope } from './access.js';
import type { Result } from './cart.errors.js';

/** Order lifecycle as data. */
export const ORDER_TRANSITIONS: Record<OrderStatus, OrderStatus[]> = {
  PLACED: ['PROVISIONING', 'CANCELLED'],
  PROVISIONING: ['ACTIVE', 'CANCELLED'],
  ACTIVE: [],
  CANCELLED: [],
  // Decided only by the account holder (`orderApprove` → PLACED, `orderReject` → REJECTED), never by a status update.
  PENDING_APPROVAL: [],
  REJECTED: [],
};

export async function findOrder(em: EntityManager, principal: Principal, id: string): Promise<IOrder | null> {
  const scope = orderScope(principal);
  return scope ? em.findOne(Order, { $and: [scope, { id }] }) : null;
}

/** The orders of `ids` the caller may see (as `findOrder`); the others are left out. */
export async function visibleOrders(em: EntityManager, principal: Principal, ids: readonly string[]): Promise<IOrder[]> {
  const scope = orderScope(principal);
  const valid = ids.filter(isUuid);
  return scope && valid.length ? ordersIn(em, scope, valid) : [];
}

/** A page of the orders the caller may see, newest first; optionally one customer's. */
/** Several customers' orders the principal may see, a page each (one statement). */
export async function listOrdersOfEach(em: EntityManager, principal: Principal, customerIds: string[], page: Page): Promise<IOrder[]> {
  const scope = orderScope(principal);
  return scope ? ordersPageOfEach(em, scope, customerIds, page) : [];
}

export async function listOrders(em: EntityManager, principal: Principal, customerId: string | undefined, page: Page): Promise<IOrder[]> {
  const scope = orderScope(principal);
  return scope ? ordersPage(em, scope, customerId, page) : [];
}

export async function orderStatusUpdate(
  em: EntityManager,
  principal: Principal,
  input: { id: string; status: OrderStatus; reason?: string | null },
): Promise<Result<IOrder>> {
  const order = await findOrder(em, principal, input.id);
  if (!order) return fail('NOT_FOUND', 'No such order', ['input', 'id']);
  if (!ORDER_TRANSITIONS[order.status as OrderStatus].includes(input.status)) {
    return fail('INVALID_TRANSITION', `A ${order.status} order cannot become ${input.status}`, ['input', 'status']);
  }
  const reason = input.reason?.trim() || null;
  if (input.status === 'CANCELLED' && !reason) return fail('REQUIRED', 'Say why the order is cancelled', ['input', 'reason']);
  if (reason && reason.length > 500) return fail('TOO_LONG', 'At most 500 characters', ['input', 'reason']);
  order.status = input.status;
  order.statusReason = reason;
  em.create(OrderEvent, { order, status: input.status, reason });
  await em.flush();
  return ok(order);
}
