import { EVENTS, fail, newId, type OrderPlacedEvent, ok, type Principal, type Result } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import type { CatalogProduct } from '../clients/catalog.js';
import { type BuyerLookup, type CartEvaluation, evaluationInput } from '../clients/promotions.js';
import { Cart, CartLine, type IOrder, Order, OrderEvent, OrderLine, Outbox } from '../entities/index.js';
import { findCart } from './access.js';
import type { CartRef } from './cart-edit.js';
import { askPeer } from './peer-guard.js';
import type { CartServices } from './services.js';
import { computeTotals, withDiscounts } from './totals.js';

export type CheckoutContext = {
  em: EntityManager;
  principal: Principal;
  catalog: DataLoader<string, CatalogProduct | null>;
  services: CartServices;
  buyer: BuyerLookup;
};
type Account = { segment: string; partner: { id: string } | null };

const field = (...path: string[]) => ['input', ...path];

/** The account's segment and partner, asked of the customer subgraph as the customer (before any transaction). */
async function accountOf(ctx: CheckoutContext): Promise<Account | null> {
  const response = await ctx.services.peers('customer').execute({ query: 'query Me { me { segment partner { id } } }' }, ctx.principal);
  return (response?.data?.me as Account | undefined) ?? null;
}

async function existingOrder(em: EntityManager, storefrontId: string, key: string): Promise<IOrder | null> {
  return em.findOne(Order, { storefrontId, idempotencyKey: key });
}

/** The same key again: the same order for the same cart, a clear error for another cart. */
function replay(order: IOrder, cartId: string): Result<IOrder> {
  return order.cartId === cartId
    ? ok(order)
    : fail('IDEMPOTENCY_KEY_REUSED', 'This key was used for another cart', field('idempotencyKey'));
}

/**
 * Cart → order, exactly once per idempotency key, and every retry with that key answers that order
 * however it interleaves with the attempt that places it. Prices and availability are re-read from the
 * catalog first (outside the transaction); then the cart row is locked, re-checked and converted, the
 * order written with its lines, first event and outbox entry.
 */
export async function cartCheckout(ctx: CheckoutContext, ref: CartRef, idempotencyKey: string): Promise<Result<IOrder>> {
  const key = idempotencyKey.trim();
  if (key.length < 8 || key.length > 200) return fail('INVALID', 'Use 8 to 200 characters, e.g. a UUID', field('idempotencyKey'));
  const result = await placeOrder(ctx, ref, key);
  if (result.ok) return result;
  // A retry refused on the way (cart closed, promotions busy…) while another attempt with its key
  // committed: the key's order is the answer, whatever stopped this attempt.
  const placed = await existingOrder(ctx.em.fork() as EntityManager, ctx.principal.storefrontId as string, key);
  return placed ? replay(placed, ref.cartId) : result;
}

async function placeOrder(ctx: CheckoutContext, ref: CartRef, key: string): Promise<Result<IOrder>> {
  const storefrontId = ctx.principal.storefrontId as string;
  // The cart first, then the key's order: the conversion and the order commit together, so a cart
  // read as CONVERTED (or OPEN just before) is followed by a read that sees the order if its key placed it.
  // The other way round, a retry that missed the order and then saw the cart converted answered CART_CLOSED.
  const cart = await findCart(ctx.em, ctx.principal, ref.cartId, ref.cartToken);
  const previous = await existingOrder(ctx.em, storefrontId, key);
  if (previous) return replay(previous, ref.cartId);
  if (!cart) return fail('NOT_FOUND', 'No such cart', field('cart', 'cartId'));
  if (cart.status === 'CONVERTED') return fail('CART_CLOSED', 'This cart was checked out with another key', field('cart', 'cartId'));
  if (cart.status !== 'OPEN') return fail('CART_CLOSED', `This cart is ${cart.status.toLowerCase()}`, field('cart', 'cartId'));
  if (cart.version !== ref.version)
    return fail('CONFLICT', `The cart changed since version ${ref.version}; reload it`, field('cart', 'version'));
  // The same order as the cart shows (amount-off promotions spread over lines in this order).
  const lines = await ctx.em.find(CartLine, { cart: cart.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  if (lines.length === 0) return fail('EMPTY', 'The cart is empty', field('cart', 'cartId'));

  const products = await Promise.all(lines.map((l) => ctx.catalog.load(l.productId)));
  const unavailable = products.findIndex((p) => p?.status !== 'ACTIVE');
  if (unavailable >= 0) return fail('UNAVAILABLE', 'A product in the cart is no longer sold; remove it', field('cart', 'cartId'));
  const priced = lines.map((l, i) => ({ line: l, product: products[i] as CatalogProduct }));
  const accountAsked = await askPeer('customer', field('cart', 'cartId'), () => accountOf(ctx));
  if (!accountAsked.ok) return accountAsked;
  const account = accountAsked.value;
  if (!account) return fail('NOT_FOUND', 'No account for this customer', field('cart', 'cartId'));
  const customerId = ctx.principal.id as string;

  // Promotions, authoritatively: evaluated and reserved under this key before the cart's transaction opens.
  const input = evaluationInput({ ...cart, customerId }, lines, products, await ctx.buyer(customerId));
  const redeemAsked = await askPeer('promotion', field('cart', 'cartId'), () => ctx.services.promotions.redeem(storefrontId, key, input));
  if (!redeemAsked.ok) return redeemAsked;
  const redeemed = redeemAsked.value;
  // A code on the cart that no longer applies refuses checkout: nobody pays other than what they were shown.
  if (!redeemed.ok) return redeemed;
  const evaluation: CartEvaluation = redeemed.value;

  const orderLineIds = new Map(lines.map((l) => [l.id, newId()]));
  const totals = {
    ...computeTotals(
      withDiscounts(
        priced.map(({ line, product }) => ({
          lineId: line.id,
          quantity: line.quantity,
          recurring: product.recurring,
          oneOff: product.oneOff,
          deposit: product.deposit,
          taxCategory: product.taxCategory,
        })),
        evaluation.discounts,
      ),
      cart.currencyCode,
    ),
    // Kept on the order as they were applied, pointing at the order's own lines.
    appliedDiscounts: evaluation.discounts.map(({ lines: _lines, ...d }) => ({
      ...d,
      lineIds: d.lineIds.map((id) => orderLineIds.get(id) ?? id),
    })),
  };
  const promotionIds = evaluation.discounts.map((d) => d.promotionId);

  const placed: { event: OrderPlacedEvent | null } = { event: null };
  try {
    const order = await ctx.em.transactional(async (tx) => {
      // Concurrent checkouts of one cart queue here; the losers then find the order below.
      await tx.execute('select id from "cart"."cart" where id = ? for update', [cart.id]);
      const already = await existingOrder(tx as EntityManager, storefrontId, key);
      if (already) return already;
      const locked = await tx.findOneOrFail(Cart, { id: cart.id }, { refresh: true });
      if (locked.status !== 'OPEN' || locked.version !== ref.version) return null;
      const [{ seq }] = await tx.execute(`select nextval('"cart"."order_number_seq"') as seq`);
      const now = ctx.services.clock.now();
      const order = tx.create(Order, {
        id: newId(),
        number: `DC-${now.getUTCFullYear()}-${String(seq).padStart(6, '0')}`,
        storefrontId,
        customerId,
        partnerId: account.partner?.id ?? null,
        segment: account.segment,
        cartId: cart.id,
        idempotencyKey: key,
        currencyCode: cart.currencyCode,
        totals,
        placedAt: now,
      });
      for (const { line, product } of priced) {
        tx.create(OrderLine, {
          id: orderLineIds.get(line.id) as string,
          order,
          productId: line.productId,
          name: product.name,
          quantity: line.quantity,
          recurringPrice: product.recurring,
          oneOffPrice: product.oneOff,
          deposit: product.deposit,
        });
      }
      tx.create(OrderEvent, { order, status: 'PLACED', at: now });
      const eventId = newId();
      const event: OrderPlacedEvent = {
        eventId,
        orderId: order.id,
        storefrontId,
        customerId,
        productIds: [...new Set(lines.map((l) => l.productId))],
        dueNow: totals.dueNow,
        currencyCode: cart.currencyCode,
        promotionIds,
        at: now.toISOString(),
      };
      placed.event = event;
      tx.create(Outbox, { id: eventId, type: EVENTS.orderPlaced, payload: event, createdAt: now });
      // A recovered cart that orders counts as converted; its reminders stop.
      await tx.execute('update "cart"."drop_link" set converted_at = ? where cart_id = ? and converted_at is null', [now, cart.id]);
      locked.status = 'CONVERTED';
      locked.orderId = order.id;
      locked.customerId = customerId;
      return order;
    });
    if (!order) {
      await releaseUnlessOrdered(ctx, storefrontId, key);
      return fail('CONFLICT', 'The cart changed meanwhile; reload it', field('cart', 'version'));
    }
    if (placed.event) await publishPlaced(ctx, placed.event);
    return replay(order, ref.cartId);
  } catch (error) {
    // Two first attempts raced past the lock check on different carts with one key.
    const raced =
      error instanceof UniqueConstraintViolationException ? await existingOrder(ctx.em.fork() as EntityManager, storefrontId, key) : null;
    if (raced) return replay(raced, ref.cartId);
    await releaseUnlessOrdered(ctx, storefrontId, key);
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    return fail('CONFLICT', 'Please retry', field('idempotencyKey'));
  }
}

/**
 * The checkout did not produce an order: give back what it reserved — unless another request with
 * the same key did place the order (it shares the reservation).
 */
async function releaseUnlessOrdered(ctx: CheckoutContext, storefrontId: string, key: string): Promise<void> {
  if (await existingOrder(ctx.em.fork() as EntityManager, storefrontId, key)) return;
  await ctx.services.promotions.release(storefrontId, key).catch((error) => {
    console.error('[dcrm] cart: promotion release failed', error);
  });
}

/** At once after commit, the same payload as the outbox row; the row is then marked so the dispatcher skips it. */
async function publishPlaced(ctx: CheckoutContext, event: OrderPlacedEvent): Promise<void> {
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
