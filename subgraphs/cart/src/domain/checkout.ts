import type { TotalsData } from '@dcrm/kit';
import { actingStorefront, type Clock, EVENTS, fail, loggerFor, newId, type OrderPlacedEvent, ok, type Principal } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import type { CatalogProduct } from '../clients/catalog.js';
import { type Account, accountOf } from '../clients/customer.js';
import type { CartEvaluation } from '../clients/promotions.js';
import {
  Cart,
  CartLine,
  type ICart,
  type ICartLine,
  type IOrder,
  Order,
  OrderEvent,
  OrderLine,
  type OrderSourceKind,
  Outbox,
} from '../entities/index.js';
import { findCart } from './access.js';
import type { Result } from './cart.errors.js';
import type { CartRef } from './cart-edit.js';
import { askPeer } from './peer-guard.js';
import { type PricedCartLine, priceLines, priceOrder, sold } from './pricing.js';
import { type BuyerLookup, evaluationInput, redeemed } from './promotions.js';
import type { CartServices } from './services.js';
import { type HoldReason, holdReason } from './spend.js';
import { approverOf } from './spend-approval.js';

export type CheckoutContext = {
  em: EntityManager;
  principal: Principal;
  catalog: DataLoader<string, CatalogProduct | null>;
  services: CartServices;
  buyer: BuyerLookup;
};

/**
 * Who buys: the signed-in customer (`customerPurchaser`), or the account a staff member checks out for
 * in assisted sales (`assisted-checkout.ts`), each with how its cart and account are reached.
 */
export type Purchaser = {
  customerId: string;
  /** The cart, when this purchaser may check it out; null otherwise (NOT_FOUND). */
  findCart(ref: CartRef): Promise<ICart | null>;
  /** The account's segment and partner, asked before any transaction. */
  account(): Promise<Result<Account>>;
  /** Assisted sales: the staff member placing the order (the cart becomes an AGENT sale). */
  assistedBy?: string;
};

/** What the guards let through: the open cart at the buyer's version, its priced lines, the buyer's account. */
type Checked = {
  cart: ICart;
  /** The version the buyer checked out; the locked row must still have it. */
  version: number;
  key: string;
  storefrontId: string;
  customerId: string;
  account: Account;
  lines: PricedCartLine[];
  assistedBy?: string;
  /** The account whose holder approves an order over budget (the buyer's parent); null: never held. */
  approverId: string | null;
};

/** Everything the cart's transaction writes, decided before it opens. */
type Draft = Checked & {
  /** Cart line id → the order line id it becomes (the order's discounts point at these). */
  orderLineIds: Map<string, string>;
  totals: TotalsData;
  promotionIds: string[];
};

const field = (...path: string[]) => ['input', ...path];
const cartField = field('cart', 'cartId');

// Guards: each passes on what it checked or refuses with the userError the buyer sees.

function validKey(idempotencyKey: string): Result<string> {
  const key = idempotencyKey.trim();
  if (key.length < 8 || key.length > 200) return fail('INVALID', 'Use 8 to 200 characters, e.g. a UUID', field('idempotencyKey'));
  return ok(key);
}

/** The cart as the buyer was shown it: theirs, still open, at their version. */
function openAtVersion(cart: ICart | null, ref: CartRef): Result<ICart> {
  if (!cart) return fail('NOT_FOUND', 'No such cart', cartField);
  if (cart.status === 'CONVERTED') return fail('CART_CLOSED', 'This cart was checked out with another key', cartField);
  if (cart.status !== 'OPEN') return fail('CART_CLOSED', `This cart is ${cart.status.toLowerCase()}`, cartField);
  if (cart.version !== ref.version)
    return fail('CONFLICT', `The cart changed since version ${ref.version}; reload it`, field('cart', 'version'));
  return ok(cart);
}

const nonEmpty = (lines: ICartLine[]): Result<ICartLine[]> =>
  lines.length === 0 ? fail('EMPTY', 'The cart is empty', cartField) : ok(lines);

/** Every line still sold: checkout never drops a line the buyer was shown. */
function allSold(lines: ICartLine[], products: (CatalogProduct | null)[]): Result<PricedCartLine[]> {
  if (!products.every(sold)) return fail('UNAVAILABLE', 'A product in the cart is no longer sold; remove it', cartField);
  return ok(priceLines(lines, products));
}

const knownAccount = (account: Account | null): Result<Account> =>
  account ? ok(account) : fail('NOT_FOUND', 'No account for this customer', cartField);

// Steps before the transaction: the key's order, the catalog's prices, the account, the promotions.

async function existingOrder(em: EntityManager, storefrontId: string, key: string): Promise<IOrder | null> {
  return em.findOne(Order, { storefrontId, idempotencyKey: key });
}

/** The same key again: the same order for the same cart, a clear error for another cart. */
function replay(order: IOrder, cartId: string): Result<IOrder> {
  return order.cartId === cartId
    ? ok(order)
    : fail('IDEMPOTENCY_KEY_REUSED', 'This key was used for another cart', field('idempotencyKey'));
}

/** The cart's lines in the order the cart shows them (amount-off promotions spread over lines in this order), at today's prices. */
async function priceCart(ctx: CheckoutContext, cart: ICart): Promise<Result<PricedCartLine[]>> {
  const lines = nonEmpty(await ctx.em.find(CartLine, { cart: cart.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }));
  if (!lines.ok) return lines;
  const products = await Promise.all(lines.value.map((l) => ctx.catalog.load(l.productId)));
  return allSold(lines.value, products);
}

/** The account's segment and partner, asked of the customer subgraph as the customer (before any transaction). */
async function buyerAccount(ctx: CheckoutContext): Promise<Result<Account>> {
  const asked = await askPeer('customer', cartField, () => accountOf(ctx.services.peers('customer'), ctx.principal));
  return asked.ok ? knownAccount(asked.value) : asked;
}

/** The signed-in customer buying their own cart (or an anonymous one they hold the token of). */
export const customerPurchaser = (ctx: CheckoutContext): Purchaser => ({
  customerId: ctx.principal.id as string,
  findCart: (ref) => findCart(ctx.em, ctx.principal, ref.cartId, ref.cartToken),
  account: () => buyerAccount(ctx),
});

const storefrontOf = (ctx: CheckoutContext) => actingStorefront(ctx.principal) as string;

/**
 * Promotions, authoritatively: evaluated and reserved under the key before the cart's transaction opens.
 * A code on the cart that no longer applies refuses checkout: nobody pays other than what they were shown.
 */
async function redeem(ctx: CheckoutContext, order: Checked): Promise<Result<CartEvaluation>> {
  const { storefrontId, customerId, key } = order;
  // An assisted sale is an AGENT sale: channel-limited promotions see it as such.
  const channel = order.assistedBy ? 'AGENT' : order.cart.channel;
  const input = evaluationInput({ ...order.cart, customerId, channel }, order.lines, await ctx.buyer(customerId));
  const asked = await askPeer('promotion', cartField, () => ctx.services.promotions.redeem(storefrontId, key, input));
  return asked.ok ? redeemed(asked.value, input.couponCodes) : asked;
}

/**
 * Cart → order, exactly once per idempotency key, and every retry with that key answers that order
 * however it interleaves with the attempt that places it. Prices and availability are re-read from the
 * catalog first (outside the transaction); then the cart row is locked, re-checked and converted, the
 * order written with its lines, first event and outbox entry.
 */
export async function cartCheckout(
  ctx: CheckoutContext,
  ref: CartRef,
  idempotencyKey: string,
  purchaser: Purchaser = customerPurchaser(ctx),
): Promise<Result<IOrder>> {
  const key = validKey(idempotencyKey);
  if (!key.ok) return key;
  const result = await attempt(ctx, ref, key.value, purchaser);
  if (result.ok) return result;
  // A retry refused on the way (cart closed, promotions busy…) while another attempt with its key
  // committed: the key's order is the answer, whatever stopped this attempt.
  const placed = await existingOrder(ctx.em.fork() as EntityManager, storefrontOf(ctx), key.value);
  return placed ? replay(placed, ref.cartId) : result;
}

/** One attempt: the guards, the price, the order placed in the cart's transaction. */
async function attempt(ctx: CheckoutContext, ref: CartRef, key: string, purchaser: Purchaser): Promise<Result<IOrder>> {
  const storefrontId = storefrontOf(ctx);
  // The cart first, then the key's order: the conversion and the order commit together, so a cart
  // read as CONVERTED (or OPEN just before) is followed by a read that sees the order if its key placed it.
  // The other way round, a retry that missed the order and then saw the cart converted answered CART_CLOSED.
  const found = await purchaser.findCart(ref);
  const previous = await existingOrder(ctx.em, storefrontId, key);
  if (previous) return replay(previous, ref.cartId);
  const cart = openAtVersion(found, ref);
  if (!cart.ok) return cart;
  const lines = await priceCart(ctx, cart.value);
  if (!lines.ok) return lines;
  const account = await purchaser.account();
  if (!account.ok) return account;
  const { customerId, assistedBy } = purchaser;
  const approver = await approverOf(ctx, storefrontId, customerId);
  if (!approver.ok) return approver;
  const order = {
    ...{ cart: cart.value, version: ref.version, key, storefrontId, customerId, assistedBy },
    ...{ account: account.value, lines: lines.value, approverId: approver.value },
  };
  const evaluation = await redeem(ctx, order);
  if (!evaluation.ok) return evaluation;
  const { discounts } = evaluation.value;
  const orderLineIds = new Map(order.lines.map((l) => [l.lineId, newId()]));
  const totals = priceOrder(order.lines, discounts, order.cart.currencyCode, orderLineIds);
  return commit(ctx, { ...order, orderLineIds, totals, promotionIds: discounts.map((d) => d.promotionId) }, ref.cartId);
}

/** Places the order in the cart's transaction, publishes it after commit, and gives back the reservation when no order came of it. */
async function commit(ctx: CheckoutContext, draft: Draft, cartId: string): Promise<Result<IOrder>> {
  const { storefrontId, key } = draft;
  try {
    const placed = await ctx.em.transactional((tx) => placeOrder(tx as EntityManager, draft, ctx.services.clock));
    if (!placed) {
      await releaseUnlessOrdered(ctx, storefrontId, key);
      return fail('CONFLICT', 'The cart changed meanwhile; reload it', field('cart', 'version'));
    }
    if (placed.event) await publishPlaced(ctx, placed.event);
    return replay(placed.order, cartId);
  } catch (error) {
    // Two first attempts raced past the lock check on different carts with one key.
    const raced =
      error instanceof UniqueConstraintViolationException ? await existingOrder(ctx.em.fork() as EntityManager, storefrontId, key) : null;
    if (raced) return replay(raced, cartId);
    await releaseUnlessOrdered(ctx, storefrontId, key);
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    return fail('CONFLICT', 'Please retry', field('idempotencyKey'));
  }
}

/**
 * Inside the transaction: the order with its lines, first event and outbox entry, the cart converted.
 * The key's order when another attempt placed it first (no event: that attempt publishes); null when
 * the cart changed since it was read.
 */
async function placeOrder(
  tx: EntityManager,
  draft: Draft,
  clock: Clock,
): Promise<{ order: IOrder; event: OrderPlacedEvent | null } | null> {
  const { cart } = draft;
  // Concurrent checkouts of one cart queue here; the losers then find the order below.
  await tx.execute('select id from "cart"."cart" where id = ? for update', [cart.id]);
  const already = await existingOrder(tx, draft.storefrontId, draft.key);
  if (already) return { order: already, event: null };
  const locked = await tx.findOneOrFail(Cart, { id: cart.id }, { refresh: true });
  if (locked.status !== 'OPEN' || locked.version !== draft.version) return null;
  const now = clock.now();
  const hold = draft.approverId ? await holdReason(tx, { ...draft, currencyCode: cart.currencyCode }, now) : null;
  const { order, event } = await writeOrder(tx, { ...draft, cartId: cart.id, currencyCode: cart.currencyCode, hold }, now);
  // A recovered cart that orders counts as converted; its reminders stop.
  await tx.execute('update "cart"."drop_link" set converted_at = ? where cart_id = ? and converted_at is null', [now, cart.id]);
  locked.status = 'CONVERTED';
  locked.orderId = order.id;
  locked.customerId = draft.customerId;
  if (draft.assistedBy) {
    locked.assistedBy = draft.assistedBy;
    locked.channel = 'AGENT';
  }
  return { order, event };
}

/** An order as written, whether a cart's checkout or a sale (a won opportunity, an accepted quote) places it. */
export type OrderDraft = {
  storefrontId: string;
  customerId: string;
  account: Account;
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
  /** The account whose holder approves it (spend control); with `hold`, the order waits for that holder. */
  approverId?: string | null;
  /** Why it is held for approval: written PENDING_APPROVAL, without an `order.placed` event until approved. */
  hold?: HoldReason | null;
};

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
  const event = placedEvent(draft, order, now);
  tx.create(Outbox, { id: event.eventId, type: EVENTS.orderPlaced, payload: event, createdAt: now });
  return { order, event };
}

/** The order with its lines (the catalog's prices as checked out) and its first status event. */
function createOrder(tx: EntityManager, draft: OrderDraft, number: string, now: Date): IOrder {
  const order = tx.create(Order, {
    id: newId(),
    number,
    storefrontId: draft.storefrontId,
    customerId: draft.customerId,
    partnerId: draft.account.partner?.id ?? null,
    segment: draft.account.segment,
    cartId: draft.cartId,
    ...draft.sale,
    idempotencyKey: draft.key,
    currencyCode: draft.currencyCode,
    totals: draft.totals,
    placedAt: now,
    ...(draft.hold ? { status: 'PENDING_APPROVAL' as const, statusReason: draft.hold.message, approverId: draft.approverId } : {}),
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
  tx.create(OrderEvent, { order, status: order.status, reason: draft.hold?.message ?? null, at: now });
  return order;
}

const placedEvent = (draft: OrderDraft, order: IOrder, now: Date): OrderPlacedEvent => ({
  eventId: newId(),
  orderId: order.id,
  storefrontId: draft.storefrontId,
  customerId: draft.customerId,
  productIds: [...new Set(draft.lines.map((l) => l.productId))],
  dueNow: draft.totals.dueNow,
  monthly: draft.totals.monthly,
  currencyCode: draft.currencyCode,
  promotionIds: draft.promotionIds,
  at: now.toISOString(),
});

/**
 * The checkout did not produce an order: give back what it reserved — unless another request with
 * the same key did place the order (it shares the reservation).
 */
async function releaseUnlessOrdered(ctx: CheckoutContext, storefrontId: string, key: string): Promise<void> {
  if (await existingOrder(ctx.em.fork() as EntityManager, storefrontId, key)) return;
  await ctx.services.promotions.release(storefrontId, key).catch((error) => {
    loggerFor('cart').error({ err: error }, 'promotion release failed');
  });
}

/** At once after commit, the same payload as the outbox row; the row is then marked so the dispatcher skips it. */
export async function publishPlaced(ctx: Pick<CheckoutContext, 'em' | 'services'>, event: OrderPlacedEvent): Promise<void> {
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
