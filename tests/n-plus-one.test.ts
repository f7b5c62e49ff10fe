import { Lead, Opportunity } from '@dcrm/opportunity/entities/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../bench/operations.js';
import type { Stack } from '../stack/src/stack.js';
import {
  client,
  customerId,
  GENEROUS_COST,
  KEYS,
  productId,
  type Response,
  registerCustomer,
  STOREFRONT_IDS,
  signIn,
  startTestStack,
} from './support/stack.js';

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

/** `count` leads of a customer, each qualified into an opportunity: the newest rows, so a small page holds them too. */
async function newestPipelineRows(count: number) {
  const opportunity = stack.subgraphs.find((s) => s.definition.name === 'opportunity') as Stack['subgraphs'][number];
  const em = opportunity.orm.em.fork();
  for (let i = 0; i < count; i += 1) {
    const common = { storefrontId: STOREFRONT_IDS.volt, customerId: customerId('aoife'), segment: 'consumer' };
    const lead = em.create(Lead, {
      ...common,
      channel: 'PORTAL',
      status: 'CONVERTED',
      source: 'n-plus-one test',
      capturedAt: new Date(),
      productIds: [],
      scoreExplanation: [],
    });
    await em.flush();
    em.create(Opportunity, { ...common, leadId: lead.id, name: `N+1 ${i}`, type: 'UPSELL', stage: 'PROPOSAL', status: 'OPEN' });
    await em.flush();
  }
}

describe('the sales pipeline lists (opportunity subgraph)', () => {
  const LEADS = `query ($first: Int) { leads(first: $first) { nodes { id status tmfStatus customer { id name } } } }`;
  const OPPORTUNITIES = `query ($first: Int) { opportunities(first: $first) {
    nodes { id stage status lead { id status customer { id name } } customer { id name } } } }`;
  // Tasks, notes, shares and routing of each opportunity (domain/work): one statement per list.
  const WORK = `query ($first: Int) { opportunities(first: $first) {
    nodes { id tasks { id opportunity { id } } notes { id } internalNotes { id } shares { staffId } teamId escalationLevel } } }`;

  it('leads and opportunities: no more statements for a full page than for two rows', async () => {
    await newestPipelineRows(3);
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    for (const [query, field] of [
      [LEADS, 'leads'],
      [OPPORTUNITIES, 'opportunities'],
      [WORK, 'opportunities'],
    ]) {
      await manager(query, { first: 2 });
      const small = await manager(query, { first: 2 });
      const big = await manager(query, { first: 100 });
      expect(small.body.errors, JSON.stringify(small.body.errors)).toBeUndefined();
      expect(big.body.errors, JSON.stringify(big.body.errors)).toBeUndefined();
      expect(big.body.data?.[field].nodes.length).toBeGreaterThan(small.body.data?.[field].nodes.length);
      expect(big.statements).toBeLessThanOrEqual(small.statements);
    }
  });
});
