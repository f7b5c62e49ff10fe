import { encodeCursor } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import {
  client,
  codes,
  customerId,
  KEYS,
  PRIVATE_KEYS,
  productId,
  type Response,
  registerCustomer,
  signIn,
  startTestStack,
} from './support/stack.js';

/**
 * Backward paging and the lists that became connections see exactly what forward paging sees: a
 * customer only their own, a partner only its accounts, a storefront only its brand, staff only their
 * brand and segments — whichever way they page, and whatever cursor they forge.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};

const ID = {
  aoife: customerId('aoife'),
  acme: customerId('acme-telecom-buyers'),
  kelly: customerId('connectify-two'),
  sean: customerId('skyline-one'),
  oliver: customerId('oliver'),
};

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.acme = (await signIn(h, 'customerLogin', 'it@acme.example', KEYS.volt)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.connectifyKey = client(h, PRIVATE_KEYS.connectifyPartner);
  as.voltManager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.volt = client(h, KEYS.volt);
  as.nimbus = client(h, KEYS.nimbus);
});
afterAll(() => stack.stop());

const ids = async (gql: Gql, query: string, field: string, variables: Record<string, unknown> = {}): Promise<string[]> => {
  const res = await gql(query, variables);
  expect(res.body.errors).toBeUndefined();
  return ((res.body.data?.[field]?.nodes ?? []) as { id: string }[]).map((n) => n.id).sort();
};
/**
 * The list read forward and backward. Other test files write to the same database meanwhile, so an
 * item created or removed between the two reads is left out of both: each read is compared on what
 * the other saw too (what may be seen is asserted on the ids themselves).
 */
const both = async (gql: Gql, field: string) => {
  const first = await ids(gql, `{ ${field}(first: 100) { nodes { id } } }`, field);
  const last = await ids(gql, `{ ${field}(last: 100) { nodes { id } } }`, field);
  return { forward: first.filter((id) => last.includes(id)), backward: last.filter((id) => first.includes(id)) };
};

describe('backward pages see what forward pages see', () => {
  it('accounts: a customer its own tree, a partner its accounts, staff their brand', async () => {
    for (const who of ['aoife', 'acme', 'connectify', 'connectifyKey', 'voltManager', 'nimbusAgent']) {
      const { forward, backward } = await both(as[who], 'customers');
      expect(backward, who).toEqual(forward);
    }
    const { backward: aoife } = await both(as.aoife, 'customers');
    expect(aoife).toEqual([ID.aoife]);
    const { backward: partner } = await both(as.connectify, 'customers');
    expect(partner).toContain(ID.kelly);
    expect(partner).not.toContain(ID.sean);
    const { backward: nimbus } = await both(as.nimbusAgent, 'customers');
    expect(nimbus).not.toContain(ID.aoife);
  });

  it('products: a storefront key only its brand', async () => {
    const volt = await both(as.volt, 'products');
    const nimbus = await both(as.nimbus, 'products');
    expect(volt.backward).toEqual(volt.forward);
    expect(nimbus.backward).toEqual(nimbus.forward);
    expect(volt.backward.filter((id) => nimbus.backward.includes(id)).length).toBeLessThan(volt.backward.length);
  });

  it('orders: a customer only their own; another brand sees none of them', async () => {
    const shopper = await registerCustomer(stack.router.handler, KEYS.nimbus);
    expect((await both(shopper.gql, 'orders')).backward).toEqual([]);
    const manager = await both(as.voltManager, 'orders');
    expect(manager.backward).toEqual(manager.forward);
    const oliver = (await signIn(stack.router.handler, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)).gql;
    const own = await both(oliver, 'orders');
    expect(own.backward.length).toBeGreaterThan(0);
    expect(manager.backward.filter((id) => own.backward.includes(id))).toEqual([]);
  });

  it('a forged cursor (another brand, another sort, junk) leaks nothing and is refused when malformed', async () => {
    const oliverOrder = (
      await ids(
        (
          await signIn(stack.router.handler, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)
        ).gql,
        '{ orders(first: 1) { nodes { id } } }',
        'orders',
      )
    )[0];
    // A cursor naming another brand's order only bounds the window; the rows are still the caller's.
    const forged = encodeCursor('NEWEST', [oliverOrder]);
    const res = await as.aoife('query ($before: String) { orders(last: 100, before: $before) { nodes { id } } }', { before: forged });
    expect(res.body.errors).toBeUndefined();
    expect(((res.body.data?.orders?.nodes ?? []) as { id: string }[]).map((n) => n.id)).not.toContain(oliverOrder);
    for (const before of ['junk', encodeCursor('NEWEST', ["1' or '1'='1"]), encodeCursor('NAME', ['x'])]) {
      expect(codes(await as.aoife('query ($before: String) { orders(last: 5, before: $before) { nodes { id } } }', { before }))).toEqual([
        'BAD_USER_INPUT',
      ]);
    }
  });
});

describe('lists that became connections keep their rules', () => {
  it('Customer.children: a partner never reaches children outside its accounts; a holder pages its own', async () => {
    const partner = await as.connectify(`{ customer(id: "${ID.kelly}") { children(last: 10) { nodes { id } } } }`);
    expect(partner.body.errors).toBeUndefined();
    const children: string[] = (partner.body.data?.customer.children.nodes ?? []).map((c: { id: string }) => c.id);
    // Other test files may open sub-accounts meanwhile: whatever is seen must be one of the partner's accounts (read after).
    const own = await ids(as.connectify, '{ customers(first: 100) { nodes { id } } }', 'customers');
    expect(children.filter((id) => !own.includes(id))).toEqual([]);
    const holder = await as.acme('{ me { children(last: 1) { nodes { id } pageInfo { hasPreviousPage hasNextPage } } } }');
    expect(holder.body.data?.me.children).toMatchObject({ pageInfo: { hasPreviousPage: true, hasNextPage: false } });
  });

  it("Customer.carts: a customer never sees another's carts, backward or forward", async () => {
    const owner = await registerCustomer(stack.router.handler, KEYS.volt);
    const made = await owner.gql('mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { id } userErrors { code } } }', {
      input: { lines: [{ productId: productId('volt-sim-unlimited') }] },
    });
    const cartId = made.body.data?.cartCreate.cart?.id as string | undefined;
    const mine = await owner.gql('{ me { carts(last: 5) { nodes { id } } } }');
    expect(mine.body.data?.me.carts.nodes.map((c: { id: string }) => c.id)).toEqual(cartId ? [cartId] : []);
    const other = await as.aoife(`{ customer(id: "${owner.id}") { carts(last: 5) { nodes { id } } } }`);
    expect(other.body.data?.customer ?? null).toBeNull();
  });

  it('apiKeys: staff their brand’s, a partner its own, a customer none', async () => {
    const staff = await both(as.voltManager, 'apiKeys');
    const partner = await both(as.connectify, 'apiKeys');
    expect(staff.backward).toEqual(staff.forward);
    expect(partner.backward).toEqual(partner.forward);
    // Staff see every key of their brand, the partner's too; the partner only its own.
    expect(partner.backward.every((id) => staff.backward.includes(id))).toBe(true);
    expect(partner.backward.length).toBeLessThan(staff.backward.length);
    // Not in a customer's schema view at all.
    const customer = await as.aoife('{ apiKeys(last: 5) { nodes { id } } }');
    expect(customer.body.data?.apiKeys ?? null).toBeNull();
    expect(codes(customer).length).toBeGreaterThan(0);
  });

  it('offerRules: staff of one brand never see another brand’s rules', async () => {
    const volt = await both(as.voltManager, 'offerRules');
    expect(volt.backward).toEqual(volt.forward);
    // Nimbus's agent either may not read rules at all or reads only Nimbus's.
    const nimbus = await as.nimbusAgent('{ offerRules(last: 100) { nodes { id } } }');
    const seen = ((nimbus.body.data?.offerRules?.nodes ?? []) as { id: string }[]).map((n) => n.id);
    expect(seen.filter((id) => volt.backward.includes(id))).toEqual([]);
  });

  it('categories: a storefront sees the categories of its own products', async () => {
    const volt = await both(as.volt, 'categories');
    expect(volt.backward).toEqual(volt.forward);
    expect(volt.forward.length).toBeGreaterThan(0);
  });
});
