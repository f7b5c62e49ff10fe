import { fail, newId, ok, type Principal, type Result } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { Cart, CartLine, type IOrder, Order, OrderEvent, OrderLine, Outbox } from '../entities/index.js';
import { findCart } from './access.js';
import type { CartRef } from './cart-edit.js';
import type { CatalogProduct } from './catalog.js';
import { type CartServices, ORDER_PLACED } from './services.js';
import { computeTotals } from './totals.js';

export type CheckoutContext = {
  em: EntityManager;
  principal: Principal;
  catalog: DataLoader<string, CatalogProduct | null>;
  services: CartServices;
};
type Account = { segment: string; partner: { id: string } | null };

const field = (...path: string[]) => ['input', ...path];

/** The account's segment and partner, asked of the customer subgraph as the customer (before any transaction). */
async function accountOf(ctx: CheckoutContext): Promise<Account | null> {
  const response = await ctx.services
    .peers('customer')
    .execute({ query: 'query Me { me { segment partner { id } } }' }, ctx.principal)
    .catch(() => null);
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
 * Cart → order, exactly once per idempotency key even under concurrent retries: prices and
 * availability are re-read from the catalog first (outside the transaction); then the cart row is
 * locked, re-checked and converted, the order written with its lines, first event and outbox entry.
 */
export async function cartCheckout(ctx: CheckoutContext, ref: CartRef, idempotencyKey: string): Promise<Result<IOrder>> {
  const storefrontId = ctx.principal.storefrontId as string;
  const key = idempotencyKey.trim();
  if (key.length < 8 || key.length > 200) return fail('INVALID', 'Use 8 to 200 characters, e.g. a UUID', field('idempotencyKey'));
  const previous = await existingOrder(ctx.em, storefrontId, key);
  if (previous) return replay(previous, ref.cartId);

  const cart = await findCart(ctx.em, ctx.principal, ref.cartId, ref.cartToken);
  if (!cart) return fail('NOT_FOUND', 'No such cart', field('cart', 'cartId'));
  if (cart.status === 'CONVERTED') return fail('CART_CLOSED', 'This cart was checked out with another key', field('cart', 'cartId'));
  if (cart.status !== 'OPEN') return fail('CART_CLOSED', `This cart is ${cart.status.toLowerCase()}`, field('cart', 'cartId'));
  if (cart.version !== ref.version)
    return fail('CONFLICT', `The cart changed since version ${ref.version}; reload it`, field('cart', 'version'));
  const lines = await ctx.em.find(CartLine, { cart: cart.id }, { orderBy: { createdAt: 'asc' } });
  if (lines.length === 0) return fail('EMPTY', 'The cart is empty', field('cart', 'cartId'));

  const products = await Promise.all(lines.map((l) => ctx.catalog.load(l.productId)));
  const unavailable = products.findIndex((p) => p?.status !== 'ACTIVE');
  if (unavailable >= 0) return fail('UNAVAILABLE', 'A product in the cart is no longer sold; remove it', field('cart', 'cartId'));
  const priced = lines.map((l, i) => ({ line: l, product: products[i] as CatalogProduct }));
  const account = await accountOf(ctx);
  if (!account) return fail('NOT_FOUND', 'No account for this customer', field('cart', 'cartId'));
  const totals = computeTotals(
    priced.map(({ line, product }) => ({
      quantity: line.quantity,
      recurring: product.recurring,
      oneOff: product.oneOff,
      deposit: product.deposit,
      taxCategory: product.taxCategory,
    })),
    cart.currencyCode,
    ctx.services.discounts,
  );

  try {
    const order = await ctx.em.transactional(async (tx) => {
      // Concurrent checkouts of one cart queue here; the losers then find the order below.
      await tx.execute('select id from "cart"."cart" where id = ? for update', [cart.id]);
      const already = await existingOrder(tx as EntityManager, storefrontId, key);
      if (already) return already;
      const locked = await tx.findOneOrFail(Cart, { id: cart.id }, { refresh: true });
      if (locked.status !== 'OPEN' || locked.version !== ref.version) return null;
      const [{ seq }] = await tx.execute(`select nextval('"cart"."order_number_seq"') as seq`);
      const order = tx.create(Order, {
        id: newId(),
        number: `DC-${ctx.services.clock.now().getUTCFullYear()}-${String(seq).padStart(6, '0')}`,
        storefrontId,
        customerId: ctx.principal.id as string,
        partnerId: account.partner?.id ?? null,
        segment: account.segment,
        cartId: cart.id,
        idempotencyKey: key,
        currencyCode: cart.currencyCode,
        totals,
        placedAt: ctx.services.clock.now(),
      });
      for (const { line, product } of priced) {
        tx.create(OrderLine, {
          order,
          productId: line.productId,
          name: product.name,
          quantity: line.quantity,
          recurringPrice: product.recurring,
          oneOffPrice: product.oneOff,
          deposit: product.deposit,
        });
      }
      tx.create(OrderEvent, { order, status: 'PLACED', at: ctx.services.clock.now() });
      tx.create(Outbox, {
        type: ORDER_PLACED,
        payload: { orderId: order.id, storefrontId, customerId: order.customerId, productIds: lines.map((l) => l.productId) },
      });
      // A recovered cart that orders counts as converted; its reminders stop.
      await tx.execute('update "cart"."drop_link" set converted_at = ? where cart_id = ? and converted_at is null', [
        ctx.services.clock.now(),
        cart.id,
      ]);
      locked.status = 'CONVERTED';
      locked.orderId = order.id;
      locked.customerId = ctx.principal.id;
      return order;
    });
    if (!order) return fail('CONFLICT', 'The cart changed meanwhile; reload it', field('cart', 'version'));
    await ctx.services.bus.publish(ORDER_PLACED, { orderId: order.id, storefrontId }).catch(() => {});
    return replay(order, ref.cartId);
  } catch (error) {
    // Two first attempts raced past the lock check on different carts with one key.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const raced = await existingOrder(ctx.em.fork() as EntityManager, storefrontId, key);
    return raced ? replay(raced, ref.cartId) : fail('CONFLICT', 'Please retry', field('idempotencyKey'));
  }
}
