import { actingStorefront, hasScope, isAccountAdmin, type Page, type Principal } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOrder, ordersPage } from '../entities/index.js';
import { orderScope } from './access.js';
import { DECIDE_SCOPE } from './spend-approval.js';

/**
 * The orders waiting for the caller's decision, newest first: for a holder, the held orders whose
 * approving account is its own or one below it (never its own orders); for staff with the scope, those
 * of their segments. Anyone else: none.
 */
export async function ordersAwaitingApproval(
  em: EntityManager,
  principal: Principal,
  tree: () => Promise<string[]>,
  page: Page,
): Promise<IOrder[]> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return [];
  let scope: FilterQuery<IOrder> | null = null;
  if (principal.kind === 'staff' && hasScope(principal, DECIDE_SCOPE)) scope = orderScope(principal);
  if (principal.kind === 'customer' && isAccountAdmin(principal)) {
    scope = { storefrontId, approverId: { $in: await tree() }, customerId: { $ne: principal.id } };
  }
  return scope ? ordersPage(em, { $and: [scope, { status: 'PENDING_APPROVAL' }] }, undefined, page) : [];
}
