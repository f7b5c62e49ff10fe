import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { takeDown } from './support/faults.js';
import { KEYS, productId, type Response, registerCustomer, startTestStack } from './support/stack.js';

/**
 * One subgraph down (promotion): the fields it contributes fail alone with a retryable
 * SERVICE_UNAVAILABLE, everything its owner answers still answers, and money never silently changes —
 * a cart's discounts and totals are withheld with that error and checkout refuses, writing nothing.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
type GqlError = { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> };

const PLAN = productId('volt-sim-unlimited');
const CART = `id version lines { id } discounts { couponCode recurring { amount } } totals { monthly { amount } recurringDiscounts { amount } }`;
const CREATE_CART = `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { ${CART} } userErrors { code } } }`;
const APPLY = `mutation ($input: CartPromoCodeInput!) { cartPromoCodeApply(input: $input) { cart { ${CART} } userErrors { code } } }`;
const READ_CART = `query ($id: ID!) { cart(id: $id) { ${CART} } }`;
const CHECKOUT = `mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) {
  order { id totals { monthly { amount } } } userErrors { code field message } } }`;
const ORDERS = '{ me { orders { nodes { id } } } }';

const errorsOf = (res: Response) => (res.body.errors ?? []) as GqlError[];
const unavailableAt = (res: Response, path: (string | number)[]) =>
  errorsOf(res).find((e) => JSON.stringify(e.path) === JSON.stringify(path) && e.extensions?.code === 'SERVICE_UNAVAILABLE');

async function cartWithData50(gql: Gql) {
  const created = await gql(CREATE_CART, { input: { lines: [{ productId: PLAN, quantity: 1 }] } });
  const cart = created.body.data?.cartCreate.cart;
  const applied = await gql(APPLY, { input: { cart: { cartId: cart.id, version: cart.version }, code: 'DATA50' } });
  expect(applied.body.data?.cartPromoCodeApply.userErrors).toEqual([]);
  return applied.body.data?.cartPromoCodeApply.cart as {
    id: string;
    version: number;
    discounts: { couponCode: string | null }[];
    totals: { monthly: { amount: string } };
  };
}

describe('the promotion subgraph down', () => {
  it('fails only the fields it contributes, withholds cart money, refuses checkout; all answers again once back', async () => {
    const { gql } = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Dana Degrade', prefix: 'degrade' });
    const cart = await cartWithData50(gql);
    expect(cart.discounts.map((d) => d.couponCode)).toContain('DATA50');
    const discountedMonthly = cart.totals.monthly.amount;

    const bringBack = takeDown(stack, 'promotion');
    try {
      const me = await gql('{ me { name offers { nodes { id } } } }');
      expect(me.status).toBe(200);
      expect(me.body.data?.me).toEqual({ name: 'Dana Degrade', offers: null });
      expect(unavailableAt(me, ['me', 'offers'])?.extensions).toMatchObject({ retryable: true, service: 'promotion' });
      expect(errorsOf(me).map((e) => e.extensions?.code)).not.toContain('INTERNAL_SERVER_ERROR');

      const products = await gql('{ products(first: 3) { nodes { name offers { nodes { id } } } } }');
      const nodes = products.body.data?.products.nodes as { name: string; offers: unknown }[];
      expect(nodes.length).toBeGreaterThan(0);
      for (const node of nodes) expect(node).toEqual({ name: expect.any(String), offers: null });
      expect(unavailableAt(products, ['products', 'nodes', 0, 'offers'])).toBeDefined();

      // Money: no discount shown as "none", no undiscounted total — both withheld with the reason.
      const read = await gql(READ_CART, { id: cart.id });
      expect(read.body.data?.cart).toMatchObject({ id: cart.id, lines: [{ id: expect.any(String) }], discounts: null, totals: null });
      expect(unavailableAt(read, ['cart', 'discounts'])?.extensions).toMatchObject({ retryable: true, service: 'promotion' });
      expect(unavailableAt(read, ['cart', 'totals'])).toBeDefined();

      const refused = await gql(CHECKOUT, { input: { cart: { cartId: cart.id, version: cart.version }, idempotencyKey: randomUUID() } });
      expect(refused.body.data?.cartCheckout.order).toBeNull();
      expect(refused.body.data?.cartCheckout.userErrors).toMatchObject([{ code: 'SERVICE_UNAVAILABLE' }]);
      expect((await gql(ORDERS)).body.data?.me.orders.nodes).toEqual([]);
    } finally {
      bringBack();
    }

    const me = await gql('{ me { name offers { nodes { id } } } }');
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data?.me.offers.nodes).toEqual(expect.any(Array));
    const read = await gql(READ_CART, { id: cart.id });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.cart.totals.monthly.amount).toBe(discountedMonthly);
    const placed = await gql(CHECKOUT, { input: { cart: { cartId: cart.id, version: cart.version }, idempotencyKey: randomUUID() } });
    expect(placed.body.data?.cartCheckout.userErrors).toEqual([]);
    expect(placed.body.data?.cartCheckout.order.totals.monthly.amount).toBe(discountedMonthly);
  });

  it('fails a promo code with a retryable userError instead of accepting or refusing it', async () => {
    const { gql } = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'degrade' });
    const created = await gql(CREATE_CART, { input: { lines: [{ productId: PLAN, quantity: 1 }] } });
    const cart = created.body.data?.cartCreate.cart;
    const bringBack = takeDown(stack, 'promotion');
    try {
      const applied = await gql(APPLY, { input: { cart: { cartId: cart.id, version: cart.version }, code: 'DATA50' } });
      expect(applied.body.data?.cartPromoCodeApply).toMatchObject({ cart: null, userErrors: [{ code: 'SERVICE_UNAVAILABLE' }] });
    } finally {
      bringBack();
    }
  });
});

describe('other subgraphs down', () => {
  it('cart down: the account answers, its carts and orders are null with SERVICE_UNAVAILABLE', async () => {
    const { gql } = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Cary Down', prefix: 'degrade' });
    const bringBack = takeDown(stack, 'cart');
    try {
      const me = await gql('{ me { name carts { nodes { id } } orders { nodes { id } } } }');
      expect(me.body.data?.me).toEqual({ name: 'Cary Down', carts: null, orders: null });
      expect(unavailableAt(me, ['me', 'carts'])?.extensions).toMatchObject({ service: 'cart', retryable: true });
      expect(unavailableAt(me, ['me', 'orders'])).toBeDefined();
    } finally {
      bringBack();
    }
  });

  it("catalog down: the account answers, its storefront's fields are null with SERVICE_UNAVAILABLE", async () => {
    const { gql } = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Cato Down', prefix: 'degrade' });
    const bringBack = takeDown(stack, 'catalog');
    try {
      const me = await gql('{ me { name storefront { name } } }');
      expect(me.body.data?.me).toEqual({ name: 'Cato Down', storefront: null });
      expect(errorsOf(me).map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    } finally {
      bringBack();
    }
  });
});
