import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../bench/operations.js';
import type { Stack } from '../stack/src/stack.js';
import { client, GENEROUS_COST, KEYS, productId, type Response, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * The N+1 guard: `pnpm bench`'s operations, through the router, issue as many SQL statements for a big
 * page as for a small one. Counts, not time (time is the bench's job).
 */
let stack: Stack;
let volt: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack({ cost: GENEROUS_COST });
  volt = client(stack.router.handler, KEYS.volt);
  // The router verifies a key once, then caches it: keep that statement out of the first count.
  await volt('{ storefront { name } }');
});
afterAll(() => stack.stop());

const operation = (name: string) => {
  const op = OPERATIONS.find((o) => o.name === name);
  if (!op) throw new Error(`no bench operation ${name}`);
  return op;
};

async function run(name: string, variables: Record<string, unknown>): Promise<Response> {
  const op = operation(name);
  const res = await volt(op.query, { ...op.variables, ...variables });
  expect(res.body.errors).toBeUndefined();
  expect(res.statements).toBeGreaterThan(0);
  return res;
}

const nodes = (res: Response) => res.body.data?.products.nodes.length as number;

describe('SQL statements per bench operation do not grow with the data returned', () => {
  it('storefront listing: the same statements for 10 and 100 products', async () => {
    const small = await run('listing', { first: 10 });
    const big = await run('listing', { first: 100 });
    expect(nodes(big)).toBeGreaterThan(nodes(small));
    expect(big.statements).toBe(small.statements);
  });

  it('search with facets: no more statements for 100 results than for 10', async () => {
    // The demo data (no --scale) has few "unlimited 5g" matches; a broader query makes the page really grow.
    const small = await run('search', { first: 10, query: 'volt' });
    const big = await run('search', { first: 100, query: 'volt' });
    expect(nodes(big)).toBeGreaterThan(nodes(small));
    expect(big.statements).toBeLessThanOrEqual(small.statements);
    const bench = await run('search', { first: 100 });
    expect(bench.statements).toBeLessThanOrEqual(small.statements);
  });

  it('product detail: no more statements for a product with more add-ons', async () => {
    const addons = (res: Response) => res.body.data?.product.compatibleAddons.length as number;
    const few = await run('detail', { slug: 'volt-prepaid-10' });
    const many = await run('detail', { slug: 'volt-sim-unlimited' });
    expect(addons(many)).toBeGreaterThan(addons(few));
    expect(many.statements).toBeLessThanOrEqual(few.statements);
  });
});

describe('carts with totals and discounts', () => {
  const CARTS = '{ me { carts { id totals { dueNow { amount } } discounts { name } } } }';

  /** A fresh customer with `count` open carts, each with a plan (promotions are evaluated for every one). */
  async function customerWithCarts(count: number) {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'n-plus-one' });
    for (let i = 0; i < count; i++) {
      const res = await customer.gql(
        'mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { id } userErrors { code } } }',
        { input: { lines: [{ productId: productId('volt-sim-unlimited') }] } },
      );
      expect(res.body.data?.cartCreate.userErrors).toEqual([]);
    }
    return customer.gql;
  }

  it('no more statements for 6 carts than for 2: promotions are evaluated for all carts in one call', async () => {
    const [few, many] = [await customerWithCarts(2), await customerWithCarts(6)];
    // The first request of a session may warm caches: count the second.
    await few(CARTS);
    await many(CARTS);
    const small = await few(CARTS);
    const big = await many(CARTS);
    expect(small.body.errors).toBeUndefined();
    expect(big.body.errors).toBeUndefined();
    expect(small.body.data?.me.carts).toHaveLength(2);
    expect(big.body.data?.me.carts).toHaveLength(6);
    expect(big.body.data?.me.carts[0]).toMatchObject({ totals: { dueNow: { amount: expect.any(String) } }, discounts: expect.any(Array) });
    expect(big.statements).toBeLessThanOrEqual(small.statements);
  });
});

describe('contracts', () => {
  const CONTRACTS = `query ($first: Int) { contracts(first: $first) { nodes { number monthlyFee { amount } lines { name product { id } }
    history { action } customer { id name } order { id } } } }`;

  it('no more statements for a page of 12 contracts than for 2 (lines, history and accounts batched)', async () => {
    const { gql: staff } = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'n-plus-one' });
    for (let i = 0; i < 12; i++) {
      const res = await staff(
        'mutation ($input: ContractCreateInput!) { contractCreate(input: $input) { contract { id } userErrors { code } } }',
        {
          input: {
            customerId: customer.id,
            templateId: seedId('contract-template', 'volt-12'),
            products: [{ productId: productId('volt-sim-5gb') }, { productId: productId('volt-sim-unlimited') }],
          },
        },
      );
      expect(res.body.data?.contractCreate.userErrors).toEqual([]);
    }
    await staff(CONTRACTS, { first: 2 });
    const small = await staff(CONTRACTS, { first: 2 });
    const big = await staff(CONTRACTS, { first: 12 });
    expect(small.body.errors).toBeUndefined();
    expect(big.body.errors).toBeUndefined();
    expect(big.body.data?.contracts.nodes).toHaveLength(12);
    expect(big.statements).toBeLessThanOrEqual(small.statements);
  });
});

describe('quote lists', () => {
  const QUOTES = `{ me { quotes(first: 50) { nodes { id number expired customer { id } lines { name product { id } recurringPrice { amount } }
    totals { monthly { amount } } promotions { name } } } } }`;
  const LIST = '{ quotes(first: 50) { nodes { id lines { name parentLineId } totals { dueNow { amount } } } } }';

  /** A fresh customer with `count` quotes of their own, each a plan with an add-on. */
  async function customerWithQuotes(count: number) {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'n-plus-one-quotes' });
    for (let i = 0; i < count; i++) {
      const res = await customer.gql(
        'mutation ($input: QuoteCreateInput!) { quoteCreate(input: $input) { quote { id } userErrors { code message } } }',
        { input: { lines: [{ productId: productId('volt-sim-unlimited'), addOns: [{ productId: productId('eu-roaming-pass') }] }] } },
      );
      expect(res.body.data?.quoteCreate.userErrors).toEqual([]);
    }
    return customer.gql;
  }

  it('no more statements for 6 quotes than for 2, through Customer.quotes and Query.quotes', async () => {
    const [few, many] = [await customerWithQuotes(2), await customerWithQuotes(6)];
    for (const query of [QUOTES, LIST]) {
      await few(query);
      await many(query);
      const small = await few(query);
      const big = await many(query);
      expect(small.body.errors).toBeUndefined();
      expect(big.body.errors).toBeUndefined();
      expect(JSON.stringify(big.body.data)).toMatch(/EU Roaming Plus/);
      expect(big.statements).toBeLessThanOrEqual(small.statements);
    }
  });
});
