import {
  type BootedSubgraph,
  computeTotals,
  newId,
  type Peers,
  type Principal,
  type SubgraphTarget,
  seedId,
  seedSubgraph,
} from '@dcrm/kit';
import { bootForTest, codes, gql, principals, stubTarget, unavailableTarget } from '@dcrm/kit/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Cart, Order, OrderEvent } from '../src/entities/index.js';
import { cartSubgraph } from '../src/index.js';
import { demoOrderId } from '../src/seed/index.js';

const VOLT = seedId('storefront', 'volt');
const NIMBUS = seedId('storefront', 'nimbus');
const PLAN = newId();
const OTHER_PLAN = newId();

/**
 * The catalog as the cart asks it (storefront currency, products by `_entities`): two Volt plans at
 * €20 a month. Every other peer is down, so a flow that would need one says so.
 */
const catalog: SubgraphTarget = stubTarget({
  name: 'catalog',
  ready: async () => true,
  execute: async (request) => {
    if (request.query.includes('currencyCode } }')) return { data: { storefront: { currencyCode: 'EUR' } } };
    const reps = (request.variables?.reps ?? []) as { id: string }[];
    return {
      data: {
        _entities: reps.map(({ id }) =>
          [PLAN, OTHER_PLAN].includes(id)
            ? {
                __typename: 'Product',
                id,
                name: id === PLAN ? 'Test Plan' : 'Other Plan',
                kind: 'PLAN',
                category: null,
                status: 'ACTIVE',
                prices: [{ type: 'RECURRING', amount: { amount: '20.00', currencyCode: 'EUR' }, deposit: null, taxCategory: 'STANDARD' }],
                compatibleAddons: [],
              }
            : null,
        ),
      },
    };
  },
});
const peers: Peers = (name) => (name === 'catalog' ? catalog : unavailableTarget(name));

let cart: BootedSubgraph;
beforeAll(async () => {
  cart = await bootForTest(cartSubgraph, inject('databaseUrl'), { peers });
});
afterAll(async () => {
  await cart.server.stop();
  await cart.orm.close();
});

/** A converted cart and its order of a fresh customer of Volt, written straight to the database. */
async function orderOfNewCustomer(): Promise<{ customerId: string; cartId: string; orderId: string }> {
  const em = cart.orm.em.fork() as EntityManager;
  const customerId = newId();
  const orderId = newId();
  const row = em.create(Cart, {
    storefrontId: VOLT,
    customerId,
    segment: 'consumer',
    status: 'CONVERTED',
    currencyCode: 'EUR',
    orderId,
  });
  const order = em.create(Order, {
    id: orderId,
    number: `T-${orderId.slice(-12)}`,
    storefrontId: VOLT,
    customerId,
    accountPath: [customerId],
    segment: 'consumer',
    cartId: row.id,
    idempotencyKey: newId(),
    currencyCode: 'EUR',
    totals: computeTotals([], 'EUR'),
  });
  em.create(OrderEvent, { order, status: 'PLACED' });
  await em.flush();
  return { customerId, cartId: row.id, orderId };
}

const ENTITIES = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Cart { id status order { id } } ... on Order { id number history { nodes { status } } } } }`;
const reps = (cartId: string, orderId: string) => ({
  reps: [
    { __typename: 'Cart', id: cartId },
    { __typename: 'Order', id: orderId },
  ],
});

describe('requests that did not come through the router', () => {
  it.each([
    ['a query', '{ bestsellers { unitsSold } }'],
    ['_service', '{ _service { sdl } }'],
    [
      '_entities',
      `{ _entities(representations: [{ __typename: "Order", id: "${demoOrderId('oliver-1')}" }]) { ... on Order { number } } }`,
    ],
  ])('%s without a principal is 401', async (_, query) => {
    const result = await gql(cart, null, query);
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.body.data ?? null).toBeNull();
  });
});

describe('_entities', () => {
  it("resolves a customer's own cart and order", async () => {
    const { customerId, cartId, orderId } = await orderOfNewCustomer();
    const own = await gql(cart, principals.customer(customerId, VOLT), ENTITIES, reps(cartId, orderId));
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data?._entities).toEqual([
      { id: cartId, status: 'CONVERTED', order: { id: orderId } },
      { id: orderId, number: expect.stringMatching(/^T-/), history: { nodes: [{ status: 'PLACED' }] } },
    ]);
  });

  it("answers null for another customer's, a shopper, and the same id in another brand", async () => {
    const { customerId, cartId, orderId } = await orderOfNewCustomer();
    const callers: Principal[] = [principals.customer(newId(), VOLT), principals.shopper(VOLT), principals.customer(customerId, NIMBUS)];
    for (const principal of callers) {
      const result = await gql(cart, principal, ENTITIES, reps(cartId, orderId));
      expect(result.body.data?._entities).toEqual([null, null]);
    }
  });

  it('lets staff see orders of their segments, not the carts they do not assist', async () => {
    const { cartId, orderId } = await orderOfNewCustomer();
    const staff = (segments: string[]): Principal => ({
      ...principals.staff(VOLT, ['order:write']),
      roles: segments.map((s) => `segment:${s}`),
    });
    const consumer = await gql(cart, staff(['consumer']), ENTITIES, reps(cartId, orderId));
    expect(consumer.body.data?._entities).toEqual([null, expect.objectContaining({ id: orderId })]);
    const business = await gql(cart, staff(['smb']), ENTITIES, reps(cartId, orderId));
    expect(business.body.data?._entities).toEqual([null, null]);
  });

  it('loads many references in one statement per type', async () => {
    const one = await orderOfNewCustomer();
    const first = await gql(
      cart,
      principals.customer(one.customerId, VOLT),
      `{ _entities(representations: [{ __typename: "Order", id: "${one.orderId}" }]) { ... on Order { id } } }`,
    );
    const ids = [one.orderId, newId(), newId(), 'not-a-uuid'];
    const many = await gql(
      cart,
      principals.customer(one.customerId, VOLT),
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { id } } }`,
      {
        reps: ids.map((id) => ({ __typename: 'Order', id })),
      },
    );
    expect(many.body.data?._entities).toEqual([{ id: one.orderId }, null, null, null]);
    expect(many.statements).toBe(first.statements);
  });
});

describe('a shopper builds a cart', () => {
  const LINES = '{ id version status currencyCode lines { name quantity available recurringPrice { amount currencyCode } } }';

  it('creates it with a line, adds another, reads it back with its token — never without', async () => {
    const shopper = principals.shopper(VOLT);
    const created = await gql(
      cart,
      shopper,
      `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart ${LINES} cartToken userErrors { code } } }`,
      { input: { lines: [{ productId: PLAN, quantity: 2 }] } },
    );
    const payload = created.body.data?.cartCreate;
    expect(payload).toMatchObject({ userErrors: [], cartToken: expect.any(String), cart: { status: 'OPEN', currencyCode: 'EUR' } });
    const { id, version } = payload.cart;
    const cartToken = payload.cartToken as string;

    const added = await gql(
      cart,
      shopper,
      `mutation ($input: CartLinesAddInput!) { cartLinesAdd(input: $input) { cart ${LINES} userErrors { code field } } }`,
      { input: { cart: { cartId: id, cartToken, version }, lines: [{ productId: OTHER_PLAN, quantity: 1 }] } },
    );
    expect(added.body.data?.cartLinesAdd.userErrors).toEqual([]);
    expect(added.body.data?.cartLinesAdd.cart.lines).toEqual([
      { name: 'Test Plan', quantity: 2, available: true, recurringPrice: { amount: '20.00', currencyCode: 'EUR' } },
      { name: 'Other Plan', quantity: 1, available: true, recurringPrice: { amount: '20.00', currencyCode: 'EUR' } },
    ]);

    const unknown = await gql(
      cart,
      shopper,
      `mutation ($input: CartLinesAddInput!) { cartLinesAdd(input: $input) { userErrors { code field } } }`,
      { input: { cart: { cartId: id, cartToken, version: version + 1 }, lines: [{ productId: newId(), quantity: 1 }] } },
    );
    expect(unknown.body.data?.cartLinesAdd.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'lines', '0', 'productId'] }]);

    const read = `query ($id: ID!, $token: String) { cart(id: $id, cartToken: $token) { id lines { quantity } } }`;
    expect((await gql(cart, shopper, read, { id, token: cartToken })).body.data?.cart.lines).toEqual([{ quantity: 2 }, { quantity: 1 }]);
    expect((await gql(cart, shopper, read, { id })).body.data?.cart).toBeNull();
    // A reference carries no token: the same cart through _entities is nobody's to see.
    expect((await gql(cart, shopper, ENTITIES, { reps: [{ __typename: 'Cart', id }] })).body.data?._entities).toEqual([null]);
  });
});

describe('demo data', () => {
  const HISTORY = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer {
    orders { nodes { id number status lines { name } totals { monthly { amount currencyCode } } history { nodes { status } } } } } } }`;
  const oliver = seedId('customer', 'oliver');

  it('gives Oliver (Nimbus) an order history, newest first, that only he sees', async () => {
    const result = await gql(cart, principals.customer(oliver, NIMBUS), HISTORY, { reps: [{ __typename: 'Customer', id: oliver }] });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?._entities[0].orders.nodes).toEqual([
      {
        id: demoOrderId('oliver-2'),
        number: expect.stringMatching(/^DC-\d{4}-\d{6}$/),
        status: 'PROVISIONING',
        lines: [{ name: 'Nimbus Hub 7' }],
        totals: { monthly: { amount: '0.00', currencyCode: 'GBP' } },
        history: { nodes: [{ status: 'PLACED' }, { status: 'PROVISIONING' }] },
      },
      {
        id: demoOrderId('oliver-1'),
        number: expect.stringMatching(/^DC-\d{4}-\d{6}$/),
        status: 'ACTIVE',
        lines: [{ name: 'Nimbus Fibre 150' }, { name: 'TV Entertainment Pack' }],
        // 41.99 a month plus 20% VAT.
        totals: { monthly: { amount: '50.39', currencyCode: 'GBP' } },
        history: { nodes: [{ status: 'PLACED' }, { status: 'PROVISIONING' }, { status: 'ACTIVE' }] },
      },
    ]);
    const other = await gql(cart, principals.customer(newId(), NIMBUS), HISTORY, { reps: [{ __typename: 'Customer', id: oliver }] });
    expect(other.body.data?._entities[0].orders.nodes).toEqual([]);
  });

  it('seeding again adds nothing', async () => {
    const count = () => (cart.orm.em.fork() as EntityManager).count(Order, { customerId: oliver });
    const before = await count();
    await seedSubgraph(cart);
    expect(await count()).toBe(before);
    expect(before).toBe(2);
  });
});
