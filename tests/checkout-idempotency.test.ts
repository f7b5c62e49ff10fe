import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { GENEROUS_COST, KEYS, productId, type Response, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * Retries of one checkout (same idempotency key) all get the order, however they interleave with
 * the attempt that places it — including those arriving while it commits (issue 12: ~2% answered
 * CART_CLOSED). Each test builds its own customer, cart and promotion.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;

beforeAll(async () => {
  // Hundreds of checkouts from one client: the query-cost budget is not what is under test here.
  stack = await startTestStack({ cost: GENEROUS_COST });
});
afterAll(() => stack.stop());

const PLAN = productId('volt-sim-unlimited');
const CART = 'id version promoCodes discounts { promotionId }';
const CREATE = `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { ${CART} } userErrors { code } } }`;
const APPLY = `mutation ($input: CartPromoCodeInput!) { cartPromoCodeApply(input: $input) { cart { ${CART} } userErrors { code } } }`;
const CHECKOUT = `mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) {
  order { id number status discounts { promotionId } totals { monthly { amount } } } userErrors { code field message } } }`;

type Cart = { id: string; version: number; discounts: { promotionId: string }[] };

async function newCart(gql: Gql): Promise<Cart> {
  const res = await gql(CREATE, { input: { lines: [{ productId: PLAN, quantity: 1 }] } });
  expect(res.body.data?.cartCreate.userErrors).toEqual([]);
  return res.body.data?.cartCreate.cart;
}

const checkout = (gql: Gql, cart: Cart, key: string) =>
  gql(CHECKOUT, { input: { cart: { cartId: cart.id, version: cart.version }, idempotencyKey: key } });

type Payload = { order: { id: string; number: string } | null; userErrors: unknown[] };

/**
 * At least 100 checkouts with one key, all in flight together: 20 at once (racing each other to
 * place the order and reserve its promotions), then one every 20 ms until 10 more have been sent after
 * the first answer came back, so that some arrive while the order commits and some after, however
 * fast this machine is. Every payload.
 */
async function retries(gql: Gql, cart: Cart, key: string): Promise<Payload[]> {
  const sent: Promise<Payload>[] = [];
  let answered = false;
  let afterAnswer = 0;
  while ((sent.length < 100 || afterAnswer < 10) && sent.length < 400) {
    sent.push(
      checkout(gql, cart, key).then((r) => {
        answered = true;
        return r.body.data?.cartCheckout;
      }),
    );
    if (answered) afterAnswer += 1;
    if (sent.length >= 20) await sleep(20);
  }
  return Promise.all(sent);
}

const orderRows = (key: string) => dbRows(stack, 'cart', 'select id, number from "cart"."customer_order" where idempotency_key = ?', [key]);

describe('checkout retried with one idempotency key', () => {
  it('100 concurrent retries all answer the same order; one order row', async () => {
    const { gql } = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'idem' });
    // Two carts, one after the other, each retried with its own key: two chances to hit the race.
    const carts = [await newCart(gql), await newCart(gql)];
    for (const cart of carts) {
      const key = randomUUID();
      const results = await retries(gql, cart, key);
      const first = results[0];
      expect(first.userErrors).toEqual([]);
      expect(first.order).toMatchObject({ status: 'PLACED', number: expect.stringMatching(/^DC-\d{4}-\d{6}$/) });
      // Identical answers, not merely "one order placed".
      expect(results.filter((r) => JSON.stringify(r) !== JSON.stringify(first))).toEqual([]);
      expect(await orderRows(key)).toEqual([{ id: first.order?.id, number: first.order?.number }]);
    }

    // Another key on a converted cart is still refused.
    const other = await checkout(gql, carts[0], randomUUID());
    expect(other.body.data?.cartCheckout).toMatchObject({ order: null, userErrors: [{ code: 'CART_CLOSED' }] });
  });

  it('with a promo code: the same order each time, the promotion redeemed once', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const couponCode = `IDEM${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`;
    // No usage limit: nothing else would make concurrent redemptions of one key queue.
    const created = await manager(
      'mutation ($input: PromotionCreateInput!) { promotionCreate(input: $input) { promotion { id } userErrors { code field } } }',
      {
        input: {
          name: `Idempotent ${couponCode}`,
          couponCode,
          conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [PLAN] }],
          actions: [{ type: 'AMOUNT_OFF', amount: '10.00', target: 'RECURRING' }],
        },
      },
    );
    expect(created.body.data?.promotionCreate.userErrors).toEqual([]);
    const promotionId = created.body.data?.promotionCreate.promotion.id as string;

    const { gql } = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'idem' });
    const fresh = await newCart(gql);
    const applied = await gql(APPLY, { input: { cart: { cartId: fresh.id, version: fresh.version }, code: couponCode } });
    expect(applied.body.data?.cartPromoCodeApply.userErrors).toEqual([]);
    const cart: Cart = applied.body.data?.cartPromoCodeApply.cart;
    expect(cart.discounts).toContainEqual({ promotionId });

    const key = randomUUID();
    const results = await retries(gql, cart, key);
    const first = results[0];
    expect(first.userErrors).toEqual([]);
    expect(first.order).toMatchObject({ discounts: expect.arrayContaining([{ promotionId }]) });
    expect(results.filter((r) => JSON.stringify(r) !== JSON.stringify(first))).toEqual([]);
    expect(await orderRows(key)).toHaveLength(1);
    const redemptions = await dbRows(
      stack,
      'promotion',
      'select status from "promotion"."redemption" where idempotency_key = ? and promotion_id = ?',
      [key, promotionId],
    );
    expect(redemptions).toEqual([{ status: 'RESERVED' }]);
    const [usage] = await dbRows(stack, 'promotion', 'select usage_count from "promotion"."promotion" where id = ?', [promotionId]);
    expect(usage).toEqual({ usage_count: 1 });
  });
});
