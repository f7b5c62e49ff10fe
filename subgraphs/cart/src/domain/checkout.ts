import type { TotalsData } from '@dcrm/kit';
import { actingStorefront, type Clock, fail, loggerFor, newId, type OrderPlacedEvent, ok } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CatalogProduct } from '../clients/catalog.js';
import type { BuyerAccount } from '../clients/customer.js';
import type { CartEvaluation } from '../clients/promotions.js';
import { Cart, CartLine, type ICart, type ICartLine, type IOrder, Order } from '../entities/index.js';
import type { Result } from './cart.errors.js';
import type { CartRef } from './cart-edit.js';
import { accountPath, publishPlaced, writeOrder } from './order-write.js';
import { askPeer } from './peer-guard.js';
import { type PricedCartLine, priceLines, priceOrder, sold } from './pricing.js';
import { evaluationInput, redeemed } from './promotions.js';
import { type CheckoutContext, cartField, customerPurchaser, type Purchaser } from './purchaser.js';
import { holdReason } from './spend.js';

/** What the guards let through: the open cart at the buyer's version, its priced lines, the buyer's account. */
type Checked = {
  cart: ICart;
  /** The version the buyer checked out; the locked row must still have it. */
  version: number;
  key: string;
  storefrontId: string;
  customerId: string;
  account: BuyerAccount;
  lines: PricedCartLine[];
  assistedBy?: string;
};

/** Everything the cart's transaction writes, decided before it opens. */
type Draft = Checked & {
  /** Cart line id → the order line id it becomes (the order's discounts point at these). */
  orderLineIds: Map<string, string>;
  totals: TotalsData;
  promotionIds: string[];
};

const field = (...path: string[]) => ['input', ...path];

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
  const order = {
    ...{ cart: cart.value, version: ref.version, key, storefrontId, customerId, assistedBy },
    ...{ account: account.value, lines: lines.value },
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
  const currencyCode = cart.currencyCode;
  // Spend control: the budgets up the buyer's tree, locked and counted in this transaction.
  const hold = await holdReason(tx, { ...draft, path: accountPath(draft.customerId, draft.account), currencyCode }, now);
  const { order, event } = await writeOrder(tx, { ...draft, cartId: cart.id, currencyCode, hold }, now);
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
