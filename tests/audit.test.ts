import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { takeDown } from './support/faults.js';
import { client, codes, productId, registerCustomer, STOREFRONT_IDS, signIn, startTestStack } from './support/stack.js';

/**
 * The audit trail through the router: real writes in customer, catalog and cart, read back by staff
 * with `audit:read` — across subgraphs, paginated, within their brands only.
 */
const RECORD =
  'id source entityType entityId action actorKind actorId storefrontId customerId requestId changes { field from to redacted }';
const TRAIL = `query ($type: String, $id: ID, $first: Int, $after: String) {
  auditTrail(entityType: $type, entityId: $id, first: $first, after: $after) {
    edges { cursor node { ${RECORD} } } pageInfo { hasNextPage endCursor } complete
  }
}`;
const CUSTOMER_TRAIL = `query ($id: ID!, $first: Int, $after: String) {
  customer(id: $id) { id auditTrail(first: $first, after: $after) { edges { node { ${RECORD} } } pageInfo { hasNextPage endCursor } complete } }
}`;
const PLAN = productId('volt-sim-unlimited');

type Change = { field: string; from: string | null; to: string | null; redacted: boolean };
type Node = {
  id: string;
  source: string;
  entityType: string;
  entityId: string;
  action: string;
  actorKind: string;
  actorId: string | null;
  storefrontId: string | null;
  customerId: string | null;
  requestId: string | null;
  changes: Change[];
};
const nodes = (connection: { edges: { node: Node }[] } | null | undefined): Node[] => connection?.edges.map((e) => e.node) ?? [];

let stack: Stack;
let manager: Awaited<ReturnType<typeof signIn>>;
let account: Awaited<ReturnType<typeof registerCustomer>>;
const requestId = `audit-test-${Math.random().toString(36).slice(2, 10)}`;
let priceListId = '';

beforeAll(async () => {
  stack = await startTestStack();
  const handler = stack.router.handler;
  manager = await signIn(handler, 'staffLogin', 'manager@volt.example');
  account = await registerCustomer(handler);
  // customer: staff renames the account (with a request id of the client's)
  const version = (await manager.gql('query ($id: ID!) { customer(id: $id) { version } }', { id: account.id })).body.data?.customer.version;
  const renamed = await client(handler, undefined, { authorization: `Bearer ${manager.accessToken}`, 'x-request-id': requestId })(
    'mutation ($input: CustomerUpdateInput!) { customerUpdate(input: $input) { customer { name } userErrors { code message } } }',
    { input: { id: account.id, version, name: 'Audited Name' } },
  );
  expect(renamed.body.data?.customerUpdate.userErrors).toEqual([]);
  // catalog: an account price list and a price in it
  const list = await manager.gql(
    'mutation ($input: PriceListCreateInput!) { priceListCreate(input: $input) { priceList { id } userErrors { code message } } }',
    { input: { storefrontId: STOREFRONT_IDS.volt, name: 'Audited account list', customerId: account.id } },
  );
  expect(list.body.data?.priceListCreate.userErrors).toEqual([]);
  priceListId = list.body.data?.priceListCreate.priceList.id;
  const price = await manager.gql('mutation ($input: PriceSetInput!) { priceSet(input: $input) { userErrors { code message } } }', {
    input: { priceListId, productId: PLAN, type: 'RECURRING', amount: '21.50', interval: 'MONTH' },
  });
  expect(price.body.data?.priceSet.userErrors).toEqual([]);
  // cart: the customer opens a cart
  const cart = await account.gql(
    'mutation { cartCreate(input: { lines: [{ productId: "' + PLAN + '" }] }) { cart { id } userErrors { code } } }',
  );
  expect(cart.body.data?.cartCreate.userErrors).toEqual([]);
});

afterAll(async () => {
  await stack?.stop();
});

describe('auditTrail', () => {
  it("shows who changed an account, when, in which request, field by field — never a password's hash", async () => {
    const res = await manager.gql(TRAIL, { type: 'Customer', id: account.id });
    expect(res.body.errors).toBeUndefined();
    const trail = nodes(res.body.data?.auditTrail);
    expect(res.body.data?.auditTrail.complete).toBe(true);
    const [update, create] = trail;
    expect(update).toMatchObject({
      source: 'customer',
      action: 'UPDATE',
      actorKind: 'staff',
      requestId,
      storefrontId: STOREFRONT_IDS.volt,
    });
    expect(update.actorId).toEqual(expect.any(String));
    expect(update.changes).toContainEqual({ field: 'name', from: '"Test Customer"', to: '"Audited Name"', redacted: false });
    expect(create).toMatchObject({ action: 'CREATE', actorKind: 'anonymous', customerId: account.id });
    expect(create.changes).toContainEqual({ field: 'passwordHash', from: null, to: null, redacted: true });
    expect(JSON.stringify(trail)).not.toMatch(/scrypt/);
  });

  it('filters by entity type across subgraphs: catalog records a price change with its old and new amount', async () => {
    const res = await manager.gql(TRAIL, { type: 'PriceList', id: priceListId });
    expect(nodes(res.body.data?.auditTrail)).toEqual([
      expect.objectContaining({
        source: 'catalog',
        action: 'CREATE',
        actorKind: 'staff',
        customerId: account.id,
        storefrontId: STOREFRONT_IDS.volt,
      }),
    ]);
    const prices = nodes((await manager.gql(TRAIL, { type: 'Price', first: 5 })).body.data?.auditTrail);
    expect(prices[0]).toMatchObject({ source: 'catalog', action: 'CREATE', customerId: account.id });
    expect(prices[0].changes).toContainEqual(expect.objectContaining({ field: 'amount', to: expect.stringContaining('21.5') }));
  });

  it('entityId needs entityType; bad cursors and page sizes are BAD_USER_INPUT', async () => {
    expect(codes(await manager.gql(TRAIL, { id: account.id }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await manager.gql(TRAIL, { first: 101 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await manager.gql(TRAIL, { after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('Customer.auditTrail (360° view)', () => {
  it('merges every subgraph’s records of the account, newest first', async () => {
    const res = await manager.gql(CUSTOMER_TRAIL, { id: account.id, first: 50 });
    expect(res.body.errors).toBeUndefined();
    const trail = nodes(res.body.data?.customer.auditTrail);
    expect(new Set(trail.map((n) => n.source))).toEqual(new Set(['customer', 'catalog', 'cart']));
    expect(trail.map((n) => n.entityType)).toEqual(expect.arrayContaining(['Customer', 'PriceList', 'Price', 'Cart', 'CartLine']));
    expect(trail.every((n) => n.customerId === account.id)).toBe(true);
    const ids = trail.map((n) => n.id);
    expect(ids).toEqual([...ids].sort().reverse());
    const cart = trail.find((n) => n.entityType === 'Cart');
    expect(cart).toMatchObject({ action: 'CREATE', actorKind: 'customer', actorId: account.id });
  });

  it('pages by cursor: pages of two add up to the whole trail, without overlap', async () => {
    const whole = nodes((await manager.gql(CUSTOMER_TRAIL, { id: account.id, first: 50 })).body.data?.customer.auditTrail).map((n) => n.id);
    const paged: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 30; i++) {
      const res = await manager.gql(CUSTOMER_TRAIL, { id: account.id, first: 2, after });
      const connection = res.body.data?.customer.auditTrail;
      paged.push(...nodes(connection).map((n) => n.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(paged).toEqual(whole);
    expect(whole.length).toBeGreaterThan(4);
  });

  it('answers with what the others recorded, and SERVICE_UNAVAILABLE on `complete`, while a subgraph is down', async () => {
    const bringBack = takeDown(stack, 'cart');
    try {
      const res = await manager.gql(CUSTOMER_TRAIL, { id: account.id, first: 50 });
      const trail = nodes(res.body.data?.customer.auditTrail);
      expect(trail.some((n) => n.source === 'customer')).toBe(true);
      expect(trail.some((n) => n.source === 'cart')).toBe(false);
      expect(res.body.data?.customer.auditTrail.complete).toBeNull();
      expect(res.body.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([
        ['SERVICE_UNAVAILABLE', 'customer.auditTrail.complete'],
      ]);
    } finally {
      bringBack();
    }
  });
});

describe('who may read it', () => {
  it("staff of another brand see none of this brand's records", async () => {
    const nimbus = await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example');
    const byId = await nimbus.gql(TRAIL, { type: 'Customer', id: account.id });
    expect(byId.body.errors).toBeUndefined();
    expect(nodes(byId.body.data?.auditTrail)).toEqual([]);
    const all = nodes((await nimbus.gql(TRAIL, { first: 100 })).body.data?.auditTrail);
    expect(all.every((n) => n.storefrontId === STOREFRONT_IDS.nimbus)).toBe(true);
    expect(all.some((n) => n.customerId === account.id)).toBe(false);
  });

  it('staff without audit:read are FORBIDDEN; the account holder cannot name it', async () => {
    const agent = await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example');
    expect(codes(await agent.gql(TRAIL, { type: 'Customer', id: account.id }))).toEqual(['FORBIDDEN']);
    const view = await agent.gql(CUSTOMER_TRAIL, { id: account.id });
    expect(view.body.data?.customer).toMatchObject({ id: account.id, auditTrail: null });
    expect(codes(view)).toEqual(['FORBIDDEN']);
    const own = await account.gql(CUSTOMER_TRAIL, { id: account.id });
    expect(codes(own)).toContain('GRAPHQL_VALIDATION_FAILED');
  });
});
