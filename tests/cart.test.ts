import { randomUUID } from 'node:crypto';
import { internalSecret, PRINCIPAL_HEADER, type Principal, seedId, signPrincipal } from '@dcrm/kit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { parseExposition, total } from './support/prometheus.js';
import { client, codes, customerId, KEYS, productId, type Response, signIn, startTestStack } from './support/stack.js';

let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const PLAN = productId('volt-sim-unlimited');
const CART = `id status version currencyCode lines { id name quantity parentLineId available product { id } recurringPrice { amount } }
  totals { subtotalRecurring { amount } taxRecurring { amount } monthly { amount } dueNow { amount currencyCode } }`;
const CREATE = `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cartToken cart { ${CART} } userErrors { code field message } } }`;
const ADD = `mutation ($input: CartLinesAddInput!) { cartLinesAdd(input: $input) { cart { ${CART} } userErrors { code field } } }`;
const CHECKOUT = `mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) { order { id number status lines { name quantity } totals { monthly { amount } } } userErrors { code field } } }`;

async function compatibleAddon(gql: Gql): Promise<string> {
  const res = await gql(`{ product(id: "${PLAN}") { compatibleAddons { id } } }`);
  return res.body.data?.product.compatibleAddons[0].id;
}

/** A signed-in customer's cart holding the plan and one of its add-ons. */
async function cartWithPlan(gql: Gql) {
  const created = (await gql(CREATE, { input: { lines: [{ productId: PLAN, quantity: 1 }] } })).body.data?.cartCreate;
  const cart = created.cart;
  const addon = await compatibleAddon(gql);
  const added = (
    await gql(ADD, {
      input: { cart: { cartId: cart.id, version: cart.version }, lines: [{ productId: addon, parentLineId: cart.lines[0].id }] },
    })
  ).body.data?.cartLinesAdd;
  expect(added.userErrors).toEqual([]);
  return added.cart;
}

describe('carts', () => {
  it('an anonymous shopper builds a cart; totals come from catalog prices only', async () => {
    const shopper = client(stack.router.handler, KEYS.volt);
    const created = (await shopper(CREATE, { input: { lines: [{ productId: PLAN, quantity: 2 }] } })).body.data?.cartCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.cartToken).toMatch(/^ct_/);
    const cart = created.cart;
    const unit = Number(cart.lines[0].recurringPrice.amount);
    expect(Number(cart.totals.subtotalRecurring.amount)).toBeCloseTo(unit * 2, 2);
    expect(Number(cart.totals.monthly.amount)).toBeCloseTo(unit * 2 * 1.23, 1);
    // The cart is reachable with its token only, and only in its own storefront.
    expect((await shopper(`{ cart(id: "${cart.id}") { id } }`)).body.data?.cart).toBeNull();
    expect((await shopper(`{ cart(id: "${cart.id}", cartToken: "${created.cartToken}") { id } }`)).body.data?.cart).toEqual({
      id: cart.id,
    });
    const nimbus = client(stack.router.handler, KEYS.nimbus);
    expect((await nimbus(`{ cart(id: "${cart.id}", cartToken: "${created.cartToken}") { id } }`)).body.data?.cart).toBeNull();
  });

  it('a new cart read back with its totals asks the catalog once: the locale for promotions comes with the prices', async () => {
    const catalogCalls = async () =>
      total(parseExposition((await request(stack.router.handler).get('/metrics')).text), 'dcrm_subgraph_requests_total', {
        subgraph: 'catalog',
      });
    const shopper = client(stack.router.handler, KEYS.volt);
    const before = await catalogCalls();
    const created = (await shopper(CREATE, { input: { lines: [{ productId: PLAN, quantity: 1 }] } })).body.data?.cartCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.cart.totals.monthly.amount).toMatch(/^\d+\.\d{2}$/);
    expect((await catalogCalls()) - before).toBe(1);
  });

  it('checks add-ons, products, quantities and versions, writing nothing on error', async () => {
    const shopper = client(stack.router.handler, KEYS.volt);
    const { cart, cartToken } = (await shopper(CREATE, { input: { lines: [{ productId: PLAN }] } })).body.data!.cartCreate;
    const ref = { cartId: cart.id, cartToken, version: cart.version };
    const addon = await compatibleAddon(shopper);
    const errors = async (lines: unknown[], version = cart.version) =>
      (await shopper(ADD, { input: { cart: { ...ref, version }, lines } })).body.data?.cartLinesAdd.userErrors.map(
        (e: { code: string }) => e.code,
      );
    expect(await errors([{ productId: addon }])).toEqual(['ADDON_NEEDS_PARENT']);
    expect(await errors([{ productId: productId('nimbus-fibre-500') }])).toEqual(['NOT_FOUND']);
    expect(await errors([{ productId: PLAN, quantity: 0 }])).toEqual(['INVALID']);
    expect(await errors([{ productId: PLAN }], cart.version - 1)).toEqual(['CONFLICT']);
    const incompatible = productId('tv-sports-pack');
    expect(await errors([{ productId: incompatible, parentLineId: cart.lines[0].id }])).toContain('NOT_FOUND'); // a Nimbus add-on
    const after = (await shopper(`{ cart(id: "${cart.id}", cartToken: "${cartToken}") { version lines { id } } }`)).body.data?.cart;
    expect(after).toEqual({ version: cart.version, lines: [{ id: cart.lines[0].id }] });
    expect(await errors([{ productId: addon, parentLineId: cart.lines[0].id }])).toEqual([]);
  });

  it('a cart started signed out follows the customer after sign-in', async () => {
    const shopper = client(stack.router.handler, KEYS.volt);
    const { cart, cartToken } = (await shopper(CREATE, { input: { lines: [{ productId: PLAN }] } })).body.data!.cartCreate;
    const { gql } = await signIn(stack.router.handler, 'customerLogin', 'conor@example.com', KEYS.volt);
    const attached = await gql(
      'mutation ($id: ID!, $t: String!) { cartAttachCustomer(input: { cartId: $id, cartToken: $t }) { cart { id status } userErrors { code } } }',
      {
        id: cart.id,
        t: cartToken,
      },
    );
    expect(attached.body.data?.cartAttachCustomer.userErrors).toEqual([]);
    const mine = (await gql('{ me { carts { nodes { id lines { quantity } } } } }')).body.data?.me.carts.nodes as { id: string }[];
    expect(mine.map((c) => c.id)).toContain(attached.body.data?.cartAttachCustomer.cart.id);
    // The token no longer opens it for anyone else.
    expect((await shopper(`{ cart(id: "${cart.id}", cartToken: "${cartToken}") { id } }`)).body.data?.cart).toBeNull();
  });
});

describe('checkout', () => {
  it('100 concurrent checkouts with one key place exactly one order', async () => {
    const { gql } = await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt);
    const cart = await cartWithPlan(gql);
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        gql(CHECKOUT, { input: { cart: { cartId: cart.id, version: cart.version }, idempotencyKey: key } }),
      ),
    );
    const ids = new Set(results.map((r) => r.body.data?.cartCheckout.order?.id));
    expect(results.every((r) => r.status === 200 && r.body.data?.cartCheckout.userErrors.length === 0)).toBe(true);
    expect(ids.size).toBe(1);
    const order = results[0].body.data?.cartCheckout.order;
    expect(order).toMatchObject({ status: 'PLACED', number: expect.stringMatching(/^DC-\d{4}-\d{6}$/) });
    expect(order.lines).toHaveLength(2);
    expect(order.totals.monthly.amount).toBe(cart.totals.monthly.amount);
    const em = stack.subgraphs.find((s) => s.definition.name === 'cart')?.orm.em.fork();
    const [row] = await (em as NonNullable<typeof em>)
      .getConnection()
      .execute('select count(*)::int as n from "cart"."customer_order" where idempotency_key = ?', [key]);
    expect(row.n).toBe(1);

    const other = await cartWithPlan(gql);
    const reused = await gql(CHECKOUT, { input: { cart: { cartId: other.id, version: other.version }, idempotencyKey: key } });
    expect(reused.body.data?.cartCheckout).toEqual({
      order: null,
      userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'] }],
    });
  });

  it('has no way to send a price: line inputs carry product, quantity and parent only', async () => {
    const res = await client(stack.router.handler, KEYS.volt)('{ __type(name: "CartLineInput") { inputFields { name } } }');
    expect(res.body.data?.__type.inputFields.map((f: { name: string }) => f.name).sort()).toEqual([
      'parentLineId',
      'productId',
      'quantity',
    ]);
  });
});

describe('orders', () => {
  it('are visible to their customer, staff of the segment and nobody else; the lifecycle is enforced', async () => {
    const conor = await signIn(stack.router.handler, 'customerLogin', 'conor@example.com', KEYS.volt);
    const cart = await cartWithPlan(conor.gql);
    const placed = (
      await conor.gql(CHECKOUT, { input: { cart: { cartId: cart.id, version: cart.version }, idempotencyKey: randomUUID() } })
    ).body.data?.cartCheckout.order;
    const byId = `{ order(id: "${placed.id}") { id status } }`;
    expect((await conor.gql(byId)).body.data?.order).toEqual({ id: placed.id, status: 'PLACED' });
    expect((await conor.gql('{ me { orders { nodes { id } } } }')).body.data?.me.orders.nodes.map((o: { id: string }) => o.id)).toContain(
      placed.id,
    );

    const aoife = (await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
    expect(codes(await aoife(byId))).toEqual(['NOT_FOUND']);
    expect((await aoife('{ orders(first: 100) { nodes { id } } }')).body.data?.orders.nodes.map((o: { id: string }) => o.id)).not.toContain(
      placed.id,
    );
    const partner = (await signIn(stack.router.handler, 'partnerLogin', 'ops@connectify.example')).gql;
    expect(codes(await partner(byId))).toEqual(['NOT_FOUND']);
    const businessAgent = (await signIn(stack.router.handler, 'staffLogin', 'agent.business@volt.example')).gql;
    expect(codes(await businessAgent(byId))).toEqual(['NOT_FOUND']);

    const agent = (await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example')).gql;
    const move = (status: string, reason?: string) =>
      agent('mutation ($input: OrderStatusUpdateInput!) { orderStatusUpdate(input: $input) { order { status } userErrors { code } } }', {
        input: { id: placed.id, status, reason },
      });
    expect((await move('ACTIVE')).body.data?.orderStatusUpdate.userErrors).toEqual([{ code: 'INVALID_TRANSITION' }]);
    expect((await move('PROVISIONING')).body.data?.orderStatusUpdate.order).toEqual({ status: 'PROVISIONING' });
    expect((await move('CANCELLED')).body.data?.orderStatusUpdate.userErrors).toEqual([{ code: 'REQUIRED' }]);
    expect((await move('ACTIVE')).body.data?.orderStatusUpdate.order).toEqual({ status: 'ACTIVE' });
    const history = (await conor.gql(`{ order(id: "${placed.id}") { history { nodes { status } } } }`)).body.data?.order.history.nodes;
    expect(history.map((h: { status: string }) => h.status)).toEqual(['PLACED', 'PROVISIONING', 'ACTIVE']);

    const staffView = await agent(`{ customer(id: "${customerId('conor')}") { orders { nodes { number status } } } }`);
    expect(staffView.body.data?.customer.orders.nodes).toEqual(expect.arrayContaining([{ number: placed.number, status: 'ACTIVE' }]));
    const best = (await client(stack.router.handler, KEYS.volt)('{ bestsellers(first: 5) { unitsSold product { id } } }')).body.data
      ?.bestsellers;
    expect(best.map((b: { product: { id: string } }) => b.product.id)).toContain(PLAN);
  });
});

describe('straight to the cart subgraph', () => {
  it("a genuine principal of another customer gets null for someone else's cart and order through _entities", async () => {
    const conor = await signIn(stack.router.handler, 'customerLogin', 'conor@example.com', KEYS.volt);
    const cart = await cartWithPlan(conor.gql);
    const placed = (
      await conor.gql(CHECKOUT, { input: { cart: { cartId: cart.id, version: cart.version }, idempotencyKey: randomUUID() } })
    ).body.data?.cartCheckout.order;
    const aoife: Principal = {
      kind: 'customer',
      id: customerId('aoife'),
      storefrontId: seedId('storefront', 'volt'),
      partnerId: null,
      roles: [],
      scopes: [],
    };
    const server = stack.subgraphs.find((s) => s.definition.name === 'cart')?.server.handler as Parameters<typeof request>[0];
    const body = {
      query: `{ _entities(representations: [{ __typename: "Cart", id: "${cart.id}" }, { __typename: "Order", id: "${placed.id}" }]) { ... on Cart { id } ... on Order { id } } }`,
    };
    const res = await request(server)
      .post('/graphql')
      .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: signPrincipal(aoife, internalSecret(), { audience: 'cart', body }) })
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body.data._entities).toEqual([null, null]);
  });
});
