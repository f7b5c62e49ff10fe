import type { TotalsData } from '@dcrm/kit';
import { EVENTS, newId, type OrderPlacedEvent } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BuyerAccount } from '../clients/customer.js';
import { type IOrder, Order, OrderEvent, OrderLine, type OrderSourceKind, Outbox } from '../entities/index.js';
import type { PricedCartLine } from './pricing.js';
import type { CartServices } from './services.js';
import type { HoldReason } from './spend.js';

/** An order as written, whether a cart's checkout or a sale (a won opportunity, an accepted quote) places it. */
export type OrderDraft = {
  storefrontId: string;
  customerId: string;
  /** The buyer's account: segment, partner, and the accounts above it (whose budgets the order counts against). */
  account: BuyerAccount;
  key: string;
  /** Null for a sale's order. */
  cartId: string | null;
  currencyCode: string;
  lines: PricedCartLine[];
  /** Priced line id → the order line id it becomes (the order's discounts point at these); by default the line's own id. */
  orderLineIds?: Map<string, string>;
  totals: TotalsData;
  promotionIds: string[];
  /** A sale's origin, who placed it and its request's digest; a checkout has none. */
  sale?: { sourceKind: OrderSourceKind; sourceId: string; placedBy: string; requestDigest: string };
  /** Why it is held for approval and by whom: written PENDING_APPROVAL, without an `order.placed` event until approved. */
  hold?: HoldReason | null;
};

/** The buyer and every account above it, nearest first: the budgets an order spends (spend.ts). */
export const accountPath = (customerId: string, account: BuyerAccount): string[] => [customerId, ...account.ancestors.map((a) => a.id)];

/**
 * In the caller's transaction: the numbered order with its lines and first event, and its `order.placed`
 * outbox row — or, held for approval, no event (approval writes it).
 */
export async function writeOrder(
  tx: EntityManager,
  draft: OrderDraft,
  now: Date,
): Promise<{ order: IOrder; event: OrderPlacedEvent | null }> {
  const [{ seq }] = await tx.execute(`select nextval('"cart"."order_number_seq"') as seq`);
  const order = createOrder(tx, draft, `DC-${now.getUTCFullYear()}-${String(seq).padStart(6, '0')}`, now);
  if (draft.hold) return { order, event: null };
  const event = placedEvent(order, draft.lines, draft.promotionIds, now);
  tx.create(Outbox, { id: event.eventId, type: EVENTS.orderPlaced, payload: event, createdAt: now });
  return { order, event };
}

/** The order with its lines (the catalog's prices as checked out) and its first status event. */
function createOrder(tx: EntityManager, draft: OrderDraft, number: string, now: Date): IOrder {
  const { account, hold } = draft;
  const order = tx.create(Order, {
    id: newId(),
    number,
    storefrontId: draft.storefrontId,
    customerId: draft.customerId,
    partnerId: account.partner?.id ?? null,
    segment: account.segment,
    // The buyer and every account above it when it was placed: the budgets it spends roll up this path.
    accountPath: accountPath(draft.customerId, account),
    cartId: draft.cartId,
    ...draft.sale,
    idempotencyKey: draft.key,
    currencyCode: draft.currencyCode,
    totals: draft.totals,
    placedAt: now,
    ...(hold ? { status: 'PENDING_APPROVAL' as const, statusReason: hold.message, approverId: hold.approverId } : {}),
  });
  for (const line of draft.lines) {
    tx.create(OrderLine, {
      id: draft.orderLineIds?.get(line.lineId) ?? line.lineId,
      order,
      productId: line.productId,
      name: line.name,
      quantity: line.quantity,
      recurringPrice: line.recurring,
      oneOffPrice: line.oneOff,
      deposit: line.deposit,
    });
  }
  tx.create(OrderEvent, { order, status: order.status, reason: hold?.message ?? null, at: now });
  return order;
}

/** The `order.placed` event of an order, at placement or (held) at approval: its products, first bill and promotions. */
export const placedEvent = (order: IOrder, lines: { productId: string }[], promotionIds: string[], now: Date): OrderPlacedEvent => ({
  eventId: newId(),
  orderId: order.id,
  storefrontId: order.storefrontId,
  customerId: order.customerId,
  productIds: [...new Set(lines.map((l) => l.productId))],
  dueNow: order.totals.dueNow,
  monthly: order.totals.monthly,
  currencyCode: order.currencyCode,
  promotionIds,
  at: now.toISOString(),
});

/** At once after commit, the same payload as the outbox row; the row is then marked so the dispatcher skips it. */
export async function publishPlaced(ctx: { em: EntityManager; services: CartServices }, event: OrderPlacedEvent): Promise<void> {
  try {
    await ctx.services.bus.publish(EVENTS.orderPlaced, event);
    await ctx.em
      .fork()
      .getConnection()
      .execute('update "cart"."outbox" set published_at = ? where id = ? and published_at is null', [
        ctx.services.clock.now(),
        event.eventId,
      ]);
  } catch {
    // The outbox dispatcher publishes it later; consumers dedupe by eventId.
  }
}
