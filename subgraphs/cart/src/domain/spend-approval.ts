import { accountTreeOf, actingStorefront, EVENTS, fail, hasScope, isAccountAdmin, isUuid, loggerFor, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOrder, Order, OrderEvent, OrderLine, Outbox } from '../entities/index.js';
import { orderScope } from './access.js';
import type { Result } from './cart.errors.js';
import { placedEvent, publishPlaced } from './order-write.js';
import { askPeer } from './peer-guard.js';
import type { CartServices } from './services.js';

export type ApprovalContext = { em: EntityManager; principal: Principal; services: CartServices };

/** Staff decide held orders with this scope, within their brands and segments. */
export const DECIDE_SCOPE = 'order:write';

const field = (...path: string[]) => ['input', ...path];

/**
 * Who decides a held order: the holder of its approving account or of one above it (the approving
 * account is in their tree; never the buyer itself, even when the buyer holds accounts of its own), or
 * staff with the scope who see the order's segment. A holder between the buyer and the approving account
 * does not: the order breached a budget above theirs.
 */
async function mayDecide(ctx: ApprovalContext, order: IOrder): Promise<Result<boolean>> {
  const { principal } = ctx;
  if (principal.kind === 'staff') {
    const scope = orderScope(principal);
    const seen = scope && hasScope(principal, DECIDE_SCOPE) ? await ctx.em.count(Order, { $and: [scope, { id: order.id }] }) : 0;
    return ok(seen > 0);
  }
  if (principal.kind !== 'customer' || !isAccountAdmin(principal) || principal.id === order.customerId) return ok(false);
  const tree = await askPeer('customer', field('id'), () => accountTreeOf(ctx.services.peers('customer'), principal));
  return tree.ok ? ok(!!order.approverId && tree.value.includes(order.approverId)) : tree;
}

type Decision = { approve: true } | { approve: false; reason: string };

function validReason(raw: string | null | undefined): Result<string> {
  const reason = raw?.trim() ?? '';
  if (!reason) return fail('REQUIRED', 'Say why the order is rejected', field('reason'));
  if (reason.length > 500) return fail('TOO_LONG', 'At most 500 characters', field('reason'));
  return ok(reason);
}

export const orderApprove = (ctx: ApprovalContext, id: string) => decide(ctx, id, { approve: true });

export async function orderReject(ctx: ApprovalContext, id: string, reason: string | null | undefined): Promise<Result<IOrder>> {
  const valid = validReason(reason);
  return valid.ok ? decide(ctx, id, { approve: false, reason: valid.value }) : valid;
}

/**
 * A held order decided: approved, it is placed as any order (PLACED, its `order.placed` event in the
 * outbox and published after commit; the buyer told by `order.statusChanged`); rejected, it becomes
 * REJECTED with the reason (no longer counted against the budget; the buyer told), and the promotions
 * it reserved are released. Anyone who may not decide it gets FORBIDDEN, whether or not it exists.
 */
async function decide(ctx: ApprovalContext, id: string, decision: Decision): Promise<Result<IOrder>> {
  const storefrontId = actingStorefront(ctx.principal);
  const found = storefrontId && isUuid(id) ? await ctx.em.findOne(Order, { id, storefrontId }) : null;
  const may = found ? await mayDecide(ctx, found) : ok(false);
  if (!may.ok) return may;
  if (!found || !may.value) return fail('FORBIDDEN', 'You cannot decide this order', field('id'));
  const now = ctx.services.clock.now();
  const decided = await ctx.em.transactional(async (tx) => {
    // Two decisions at once queue here; the second finds the order decided.
    await tx.execute('select id from "cart"."customer_order" where id = ? for update', [found.id]);
    const order = await tx.findOneOrFail(Order, { id: found.id }, { refresh: true });
    if (order.status !== 'PENDING_APPROVAL') return null;
    order.status = decision.approve ? 'PLACED' : 'REJECTED';
    order.statusReason = decision.approve ? null : decision.reason;
    tx.create(OrderEvent, { order, status: order.status, reason: order.statusReason, at: now });
    // Approved, the `order.placed` event checkout would have written at placement.
    const lines = decision.approve ? await tx.find(OrderLine, { order: order.id }) : [];
    const promotionIds = (order.totals.appliedDiscounts ?? []).map((d) => d.promotionId);
    const event = decision.approve ? placedEvent(order, lines, promotionIds, now) : null;
    if (event) tx.create(Outbox, { id: event.eventId, type: EVENTS.orderPlaced, payload: event, createdAt: now });
    return { order, event };
  });
  if (!decided) return fail('INVALID_TRANSITION', `This order is ${found.status}, not waiting for approval`, field('id'));
  if (decided.event) await publishPlaced(ctx, decided.event);
  if (!decision.approve)
    await ctx.services.promotions.release(found.storefrontId, found.idempotencyKey).catch((error) => {
      loggerFor('cart').error({ err: error }, 'promotion release failed');
    });
  return ok(decided.order);
}
