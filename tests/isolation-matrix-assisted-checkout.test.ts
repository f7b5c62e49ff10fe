import { randomUUID } from 'node:crypto';
import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, codes, KEYS, productId, type Response, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * Assisted sales (`cartCheckoutAssisted`): staff with `cart:assist` check out a customer's cart on the
 * customer's behalf, only in their brand and segments. Every other caller is refused — FORBIDDEN
 * without the scope or for any other kind, NOT_FOUND (like an unknown cart) outside the grant — and
 * nothing changes; the one allowed checkout places the customer's order, recorded in the audit trail
 * with the staff actor and as an interaction on the account.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const staff: Record<string, Gql> = {};

const CONSUMER_AGENT = seedId('staff', 'volt-consumer');

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  for (const email of [
    'agent.consumer@volt.example', // care, consumer segment: may
    'agent.business@volt.example', // care, smb and enterprise: another segment
    'agent@nimbus.example', // care, every segment, of Nimbus: another brand
    'admin@dcrm.example', // every brand, catalog scopes only: no cart:assist
    'manager@volt.example', // care, every segment of Volt: may
  ])
    staff[email] = (await signIn(h, 'staffLogin', email)).gql;
});
afterAll(() => stack.stop());

const subgraph = (name: string) => stack.subgraphs.find((s) => s.definition.name === name) as Stack['subgraphs'][number];
const sql = (name: string, query: string, params: unknown[] = []) => subgraph(name).orm.em.fork().getConnection().execute(query, params);

const ASSISTED = `mutation ($input: CartCheckoutAssistedInput!) { cartCheckoutAssisted(input: $input) {
  order { id number status customer { id } totals { monthly { amount } dueNow { amount } } } userErrors { code field } } }`;

/** A new Volt consumer with an open cart holding a plan, and what they were shown. */
async function customerWithCart() {
  const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'assisted' });
  const created = await customer.gql(
    'mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { id version totals { monthly { amount } dueNow { amount } } } userErrors { code } } }',
    { input: { lines: [{ productId: productId('volt-sim-20gb') }] } },
  );
  const cart = created.body.data?.cartCreate.cart as { id: string; version: number; totals: unknown };
  return { ...customer, cart };
}

const cartRow = async (id: string) =>
  (await sql('cart', 'select status, order_id, assisted_by, channel, version from "cart"."cart" where id = ?', [id]))[0];
const ordersOf = (customerId: string) => sql('cart', 'select id from "cart"."customer_order" where customer_id = ?', [customerId]);
const interactionsOf = (customerId: string) =>
  sql('customer', 'select channel, direction, notes, staff_id from "customer"."interaction" where customer_id = ? order by occurred_at', [
    customerId,
  ]);

/** How a call was refused: its first userError's code, else its first error's code. */
const refusal = (res: Response) => res.body.data?.cartCheckoutAssisted?.userErrors?.[0]?.code ?? codes(res)[0] ?? null;

describe('assisted checkout: who may', () => {
  it('refuses every caller outside the grant, and changes nothing', async () => {
    const buyer = await customerWithCart();
    const other = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'assisted-other' });
    const partner = (await signIn(stack.router.handler, 'partnerLogin', 'ops@connectify.example')).gql;
    const input = { cart: { cartId: buyer.cart.id, version: buyer.cart.version }, idempotencyKey: randomUUID() };
    const before = { cart: await cartRow(buyer.cart.id), orders: await ordersOf(buyer.id), interactions: await interactionsOf(buyer.id) };
    const cases: [string, Gql, string][] = [
      ['staff of another segment', staff['agent.business@volt.example'] as Gql, 'NOT_FOUND'],
      ['staff of another brand', staff['agent@nimbus.example'] as Gql, 'NOT_FOUND'],
      ['staff without cart:assist', staff['admin@dcrm.example'] as Gql, 'FORBIDDEN'],
      // Other kinds do not even have it in their schema view.
      ['the customer themself', buyer.gql, 'GRAPHQL_VALIDATION_FAILED'],
      ['another customer', other.gql, 'GRAPHQL_VALIDATION_FAILED'],
      ['a partner', partner, 'GRAPHQL_VALIDATION_FAILED'],
      ['a shopper with the storefront key', client(stack.router.handler, KEYS.volt), 'GRAPHQL_VALIDATION_FAILED'],
    ];
    for (const [who, gql, expected] of cases) {
      const res = await gql(ASSISTED, { input });
      expect({ who, refusal: refusal(res), order: res.body.data?.cartCheckoutAssisted?.order ?? null }).toEqual({
        who,
        refusal: expected,
        order: null,
      });
    }
    // An unknown cart is the same NOT_FOUND as one outside the grant.
    const unknown = await staff['agent.consumer@volt.example']?.(ASSISTED, {
      input: { cart: { cartId: randomUUID(), version: 1 }, idempotencyKey: randomUUID() },
    });
    expect(refusal(unknown as Response)).toBe('NOT_FOUND');
    // Staff still cannot use the customer's own checkout.
    const own = await staff['agent.consumer@volt.example']?.(
      'mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) { order { id } userErrors { code } } }',
      { input },
    );
    expect(codes(own as Response)).toContain('FORBIDDEN');
    expect({ cart: await cartRow(buyer.cart.id), orders: await ordersOf(buyer.id), interactions: await interactionsOf(buyer.id) }).toEqual(
      before,
    );
  });
});

describe('assisted checkout: what it does', () => {
  it('places the customer’s order, recorded in the audit trail with the staff actor and as an interaction', async () => {
    const buyer = await customerWithCart();
    const agent = staff['agent.consumer@volt.example'] as Gql;
    // Staff find the cart through the account (the 360° view), then check it out for the customer.
    const seen = await agent(`{ customer(id: "${buyer.id}") { carts(first: 10) { nodes { id version } } } }`);
    expect(seen.body.data?.customer.carts.nodes).toEqual([{ id: buyer.cart.id, version: buyer.cart.version }]);
    const key = randomUUID();
    const input = { cart: { cartId: buyer.cart.id, version: buyer.cart.version }, idempotencyKey: key, channel: 'STORE' };
    const res = await agent(ASSISTED, { input });
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data?.cartCheckoutAssisted;
    expect(payload.userErrors).toEqual([]);
    // The customer's order, at the prices the customer was shown.
    expect(payload.order).toMatchObject({ status: 'PLACED', customer: { id: buyer.id }, totals: buyer.cart.totals });
    const mine = await buyer.gql('{ me { orders { nodes { id } } } }');
    expect(mine.body.data?.me.orders.nodes).toEqual([{ id: payload.order.id }]);
    expect(await cartRow(buyer.cart.id)).toMatchObject({
      status: 'CONVERTED',
      order_id: payload.order.id,
      assisted_by: CONSUMER_AGENT,
      channel: 'AGENT',
    });

    // Audit trail: the order's creation and the cart's conversion, by the staff member.
    const audit = await sql(
      'cart',
      `select entity_type, action, actor_kind, actor_id from "cart"."audit_record" where entity_id in (?, ?) and action in ('CREATE', 'UPDATE') order by id`,
      [payload.order.id, buyer.cart.id],
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { entity_type: 'Order', action: 'CREATE', actor_kind: 'staff', actor_id: CONSUMER_AGENT },
        { entity_type: 'Cart', action: 'UPDATE', actor_kind: 'staff', actor_id: CONSUMER_AGENT },
      ]),
    );
    // The account's interactions: one entry by the agent, naming the order.
    const interactions = await interactionsOf(buyer.id);
    expect(interactions).toEqual([
      { channel: 'STORE', direction: 'OUTBOUND', notes: expect.stringContaining(payload.order.number), staff_id: CONSUMER_AGENT },
    ]);

    // A retry with the key answers the same order and logs nothing again.
    const again = await agent(ASSISTED, { input });
    expect(again.body.data?.cartCheckoutAssisted.order.id).toBe(payload.order.id);
    expect(await interactionsOf(buyer.id)).toHaveLength(1);
    expect(await ordersOf(buyer.id)).toHaveLength(1);
  });

  it('staff of every segment may too; a stale version is a CONFLICT that changes nothing', async () => {
    const buyer = await customerWithCart();
    const manager = staff['manager@volt.example'] as Gql;
    const stale = await manager(ASSISTED, {
      input: { cart: { cartId: buyer.cart.id, version: buyer.cart.version + 1 }, idempotencyKey: randomUUID() },
    });
    expect(refusal(stale)).toBe('CONFLICT');
    expect(await ordersOf(buyer.id)).toEqual([]);
    const placed = await manager(ASSISTED, {
      input: { cart: { cartId: buyer.cart.id, version: buyer.cart.version }, idempotencyKey: randomUUID() },
    });
    expect(placed.body.data?.cartCheckoutAssisted.userErrors).toEqual([]);
    expect(placed.body.data?.cartCheckoutAssisted.order.customer).toEqual({ id: buyer.id });
  });

  it('prices the cart as the account pays (its negotiated list), never as the staff member sees the catalog', async () => {
    const manager = staff['manager@volt.example'] as Gql;
    const buyer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'assisted-negotiated' });
    const list = await manager(
      'mutation ($input: PriceListCreateInput!) { priceListCreate(input: $input) { priceList { id } userErrors { code } } }',
      { input: { storefrontId: seedId('storefront', 'volt'), name: 'Assisted sale account list', customerId: buyer.id } },
    );
    const priceListId = list.body.data?.priceListCreate.priceList.id;
    const price = await manager('mutation ($input: PriceSetInput!) { priceSet(input: $input) { userErrors { code } } }', {
      input: { priceListId, productId: productId('volt-sim-20gb'), type: 'RECURRING', amount: '9.00', interval: 'MONTH' },
    });
    expect(price.body.data?.priceSet.userErrors).toEqual([]);
    const created = await buyer.gql(
      'mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { id version totals { monthly { amount } } } userErrors { code } } }',
      { input: { lines: [{ productId: productId('volt-sim-20gb') }] } },
    );
    const cart = created.body.data?.cartCreate.cart;
    expect(cart.totals.monthly).toEqual({ amount: '11.07' }); // 9.00 + 23% VAT
    // The manager's own view of the catalog is the storefront's list price.
    const seen = await manager(`{ product(slug: "volt-sim-20gb") { price { amount { amount } } } }`);
    expect(seen.body.data?.product.price.amount.amount).toBe('14.99');
    const placed = await manager(ASSISTED, { input: { cart: { cartId: cart.id, version: cart.version }, idempotencyKey: randomUUID() } });
    expect(placed.body.data?.cartCheckoutAssisted.userErrors).toEqual([]);
    expect(placed.body.data?.cartCheckoutAssisted.order.totals.monthly).toEqual({ amount: '11.07' });
  });
});
