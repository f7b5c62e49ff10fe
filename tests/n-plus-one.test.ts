import { seedId } from '@dcrm/kit';
import {
  Lead,
  Opportunity,
  OpportunityHistory,
  OpportunityLine,
  OpportunityNote,
  OpportunityShare,
  OpportunityTask,
} from '@dcrm/opportunity/entities/index.js';
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

  it('storefront listing read backward: the same statements for the last 10 and the last 100 products', async () => {
    const LAST = `query ($last: Int, $before: String) {
      products(last: $last, before: $before, sort: NAME) { nodes { name slug category { name } } pageInfo { startCursor } }
    }`;
    const small = await volt(LAST, { last: 10 });
    const big = await volt(LAST, { last: 100 });
    expect(small.body.errors).toBeUndefined();
    expect(big.body.errors).toBeUndefined();
    expect(big.body.data?.products.nodes.length).toBeGreaterThan(small.body.data?.products.nodes.length);
    expect(big.statements).toBe(small.statements);
    const before = await volt(LAST, { last: 100, before: small.body.data?.products.pageInfo.startCursor });
    expect(before.body.errors).toBeUndefined();
    expect(before.statements).toBe(small.statements);
  });

  it('listing with facets: the same statements for 10 and 100 products', async () => {
    const small = await run('facets', { first: 10 });
    const big = await run('facets', { first: 100 });
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

describe('product pages and search: a fixed, small number of statements (issue 20)', () => {
  // Product, prices, texts and visible add-ons with theirs: one statement, whatever the language.
  it('product detail: one statement, in a requested language too', async () => {
    const plain = await run('detail', {});
    expect(plain.statements).toBe(1);
    const french = client(stack.router.handler, KEYS.volt, { 'accept-language': 'fr' });
    const op = operation('detail');
    const translated = await french(op.query, { slug: 'volt-sim-5gb' });
    expect(translated.body.errors).toBeUndefined();
    expect(translated.body.data?.product.name).toBe('Volt Essentiel 5 Go');
    expect(translated.body.data?.product.prices.length).toBeGreaterThan(0);
    expect(translated.statements).toBe(1);
  });

  it('product detail without add-ons selected, and by id: one statement', async () => {
    const res = await volt('query ($id: ID!) { product(id: $id) { name prices { amount { amount } } } }', {
      id: productId('volt-sim-5gb'),
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.product.prices.length).toBeGreaterThan(0);
    expect(res.statements).toBe(1);
  });

  // The page with its prices, texts and categories (with theirs): one statement, whatever the language.
  it('storefront listing naming its categories: one statement, in a requested language too', async () => {
    const res = await run('listing', { first: 100 });
    expect(res.body.data?.products.nodes.every((n: { category: { name: string } | null }) => n.category?.name)).toBe(true);
    expect(res.statements).toBe(1);
    const french = client(stack.router.handler, KEYS.volt, { 'accept-language': 'fr' });
    const translated = await french(operation('listing').query, { first: 100 });
    expect(translated.body.errors).toBeUndefined();
    const categories = translated.body.data?.products.nodes.map((n: { category: { name: string } | null }) => n.category?.name);
    expect(categories).toContain('Forfaits SIM seule');
    expect(translated.statements).toBe(1);
  });

  // The page with its prices and texts; the facets with their categories' rows and texts and the
  // storefront's currency.
  it('search with facets: two statements, in a requested language too', async () => {
    const res = await run('search', { first: 100, query: 'volt' });
    expect(res.body.data?.products.facets.categories.length).toBeGreaterThan(0);
    expect(res.statements).toBe(2);
    const french = client(stack.router.handler, KEYS.volt, { 'accept-language': 'fr' });
    const op = operation('search');
    const translated = await french(op.query, { first: 100, query: 'essentiel' });
    expect(translated.body.errors).toBeUndefined();
    expect(translated.body.data?.products.nodes.map((n: { name: string }) => n.name)).toContain('Volt Essentiel 5 Go');
    const facetNames = translated.body.data?.products.facets.categories.map((c: { category: { name: string } }) => c.category.name);
    expect(facetNames).toContain('Forfaits SIM seule');
    expect(translated.statements).toBe(2);
  });
});

describe('carts with totals and discounts', () => {
  const CARTS = '{ me { carts { nodes { id totals { dueNow { amount } } discounts { name } } } } }';

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
    expect(small.body.data?.me.carts.nodes).toHaveLength(2);
    expect(big.body.data?.me.carts.nodes).toHaveLength(6);
    expect(big.body.data?.me.carts.nodes[0]).toMatchObject({
      totals: { dueNow: { amount: expect.any(String) } },
      discounts: expect.any(Array),
    });
    expect(big.statements).toBeLessThanOrEqual(small.statements);
  });
});

describe('contracts', () => {
  const CONTRACTS = `query ($first: Int, $page: Int, $last: Int) { contracts(first: $first) { nodes { number monthlyFee { amount }
    lines { name product { id } } history(first: $page, last: $last) { nodes { action } pageInfo { hasPreviousPage } }
    customer { id name } order { id } } } }`;

  it('no more statements for a page of 12 contracts with big history pages than for 2 with pages of one, forward and backward', async () => {
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
    await staff(CONTRACTS, { first: 2, page: 1 });
    const small = await staff(CONTRACTS, { first: 2, page: 1 });
    expect(small.body.errors).toBeUndefined();
    for (const variables of [
      { first: 12, page: 20 },
      { first: 12, last: 20 },
      { first: 2, last: 1 },
    ]) {
      const big = await staff(CONTRACTS, variables);
      expect(big.body.errors, JSON.stringify(big.body.errors)).toBeUndefined();
      expect(big.body.data?.contracts.nodes).toHaveLength(variables.first);
      expect(big.statements, JSON.stringify(variables)).toBeLessThanOrEqual(small.statements);
    }
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

describe('orders with the quote and contract they came from', () => {
  it('no more statements for a page of orders than for one (Order.quote and Order.contract batched)', async () => {
    // The demo's order history is Oliver's (Nimbus).
    const oliver = (await signIn(stack.router.handler, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)).gql;
    const ORDERS = `query ($first: Int) { orders(first: $first) { nodes { id quote { id } contract { id } } } }`;
    await oliver(ORDERS, { first: 1 });
    const small = await oliver(ORDERS, { first: 1 });
    const big = await oliver(ORDERS, { first: 20 });
    expect(small.body.errors).toBeUndefined();
    expect(big.body.errors).toBeUndefined();
    expect(big.body.data?.orders.nodes.length).toBeGreaterThan(1);
    expect(big.statements).toBeLessThanOrEqual(small.statements);
  });
});

describe('quote lists with approvals, attachments and revisions', () => {
  const QUOTES = `query ($first: Int, $page: Int, $last: Int) { quotes(first: $first) { nodes { id approvals { level status } approvalRules
    attachments(first: $page, last: $last) { nodes { fileName sizeBytes } } revisions(first: $page, last: $last) { nodes { id revision } }
    document { fileName } } } }`;

  it('no more statements for 12 quotes with big pages of attachments and revisions than for 2 with pages of one, both ways (one brand for the documents)', async () => {
    const { gql: staff } = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'n-plus-one-quote-files' });
    for (let i = 0; i < 12; i++) {
      const created = await staff(
        'mutation ($input: QuoteCreateInput!) { quoteCreate(input: $input) { quote { id } userErrors { code } } }',
        { input: { customerId: customer.id, lines: [{ productId: productId('volt-sim-5gb') }] } },
      );
      const quoteId = created.body.data?.quoteCreate.quote.id;
      const attached = await staff(
        'mutation ($input: QuoteAttachmentAddInput!) { quoteAttachmentAdd(input: $input) { userErrors { code } } }',
        {
          input: {
            quoteId,
            fileName: `brief-${i}.txt`,
            contentType: 'text/plain',
            contentBase64: Buffer.from(`brief ${i}`).toString('base64'),
          },
        },
      );
      expect(attached.body.data?.quoteAttachmentAdd.userErrors).toEqual([]);
    }
    await staff(QUOTES, { first: 2, page: 1 });
    const small = await staff(QUOTES, { first: 2, page: 1 });
    expect(small.body.errors).toBeUndefined();
    for (const variables of [
      { first: 12, page: 20 },
      { first: 12, last: 20 },
      { first: 2, last: 1 },
    ]) {
      const big = await staff(QUOTES, variables);
      expect(big.body.errors, JSON.stringify(big.body.errors)).toBeUndefined();
      expect(big.statements, JSON.stringify(variables)).toBeLessThanOrEqual(small.statements);
    }
    const big = await staff(QUOTES, { first: 12, page: 20 });
    type Listed = { id: string; attachments: { nodes: { fileName: string }[] }; revisions: { nodes: { id: string }[] } };
    const nodes = big.body.data?.quotes.nodes as Listed[];
    expect(nodes).toHaveLength(12);
    // Newest first: the quotes just made, each with its own file and itself as its only revision.
    expect(nodes.map((q) => q.attachments.nodes.map((a) => a.fileName))).toEqual(
      Array.from({ length: 12 }, (_, i) => [`brief-${11 - i}.txt`]),
    );
    expect(nodes.every((q) => q.revisions.nodes.length === 1 && q.revisions.nodes[0]?.id === q.id)).toBe(true);
  });
});

describe('knowledge base', () => {
  const SEARCH = `query ($first: Int) { articleSearch(query: "bill or charge or data or order or signal or phone or broadband or router", first: $first) {
    nodes { rank snippet article { id title history { to actor { id } } deflectionCount linkedTicketCount author { id } } } } }`;
  const TICKETS = '{ tickets(first: 100) { nodes { id articles { id title history { to } } } } }';

  it('article search: the same statements for 1 result as for all, with history and counts', async () => {
    const agent = (await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example')).gql;
    await agent(SEARCH, { first: 1 });
    const small = await agent(SEARCH, { first: 1 });
    const big = await agent(SEARCH, { first: 100 });
    expect(big.body.errors).toBeUndefined();
    expect(small.body.data?.articleSearch.nodes).toHaveLength(1);
    expect(big.body.data?.articleSearch.nodes.length).toBeGreaterThan(3);
    expect(big.statements).toBe(small.statements);
  });

  it('Ticket.articles over a page of tickets: no statement per ticket', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    await manager(TICKETS);
    const res = await manager(TICKETS);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.tickets.nodes.length).toBeGreaterThan(3);
    // tickets, their links, the linked articles, the articles' history: one each.
    expect(res.statements).toBeLessThanOrEqual(5);
  });
});

describe("the agent's ticket queue", () => {
  const QUEUE = `query ($first: Int!, $page: Int, $last: Int) { tickets(first: $first, sort: PRIORITY) { nodes {
    id status priority customer { id name } assignee { id } relatedOrder { id }
    comments(first: $page, last: $last) { nodes { body author { kind } } pageInfo { hasNextPage hasPreviousPage } }
    internalComments(first: $page, last: $last) { nodes { body } }
    attachments(first: $page, last: $last) { nodes { fileName } }
    statusHistory(first: $page, last: $last) { nodes { to actor { kind } } }
    allowedTransitions } } }`;

  it('no more statements for 9 tickets with big pages of comments, files and history than for 2 with pages of one, both ways', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    await manager(QUEUE, { first: 2, page: 1 });
    const small = await manager(QUEUE, { first: 2, page: 1 });
    expect(small.body.errors).toBeUndefined();
    for (const variables of [
      { first: 9, page: 10 },
      { first: 9, last: 10 },
      { first: 2, last: 1 },
    ]) {
      const big = await manager(QUEUE, variables);
      expect(big.body.errors, JSON.stringify(big.body.errors)).toBeUndefined();
      expect(big.body.data?.tickets.nodes).toHaveLength(variables.first);
      expect(big.statements, JSON.stringify(variables)).toBeLessThanOrEqual(small.statements);
    }
    const big = await manager(QUEUE, { first: 9, page: 10 });
    const nodes = big.body.data?.tickets.nodes as { comments: { nodes: unknown[] }; statusHistory: { nodes: unknown[] } }[];
    expect(nodes.some((t) => t.comments.nodes.length > 0)).toBe(true);
    expect(nodes.every((t) => t.statusHistory.nodes.length > 0)).toBe(true);
  });
});

/** `count` leads of a customer, each qualified into an opportunity: the newest rows, so a small page holds them too. */
async function newestPipelineRows(count: number) {
  const opportunity = stack.subgraphs.find((s) => s.definition.name === 'opportunity') as Stack['subgraphs'][number];
  const em = opportunity.orm.em.fork();
  // One person recorded `count` times: every row but the first is a duplicate, so a small page lists duplicates too.
  const email = `n-plus-one-${Math.random().toString(36).slice(2, 8)}@example.com`;
  for (let i = 0; i < count; i += 1) {
    const common = { storefrontId: STOREFRONT_IDS.volt, customerId: customerId('aoife'), segment: 'consumer' };
    const lead = em.create(Lead, {
      ...common,
      channel: 'PORTAL',
      status: 'CONVERTED',
      source: 'n-plus-one test',
      email,
      capturedAt: new Date(),
      productIds: [],
      scoreExplanation: [],
    });
    await em.flush();
    const o = em.create(Opportunity, { ...common, leadId: lead.id, name: `N+1 ${i}`, type: 'UPSELL', stage: 'PROPOSAL', status: 'OPEN' });
    await em.flush();
    const { storefrontId } = common;
    em.create(OpportunityLine, {
      opportunityId: o.id,
      storefrontId,
      productId: productId('volt-sim-20gb'),
      name: 'Plan',
      kind: 'PLAN',
      quantity: 1,
      position: 1,
    });
    em.create(OpportunityHistory, {
      opportunityId: o.id,
      storefrontId,
      toStage: 'PROPOSAL',
      toStatus: 'OPEN',
      actorKind: 'service',
      at: new Date(),
    });
    await em.flush();
  }
}

/** The newest opportunities, each with a few tasks, notes (one internal) and stage changes more. */
async function opportunityWork(count: number) {
  await newestPipelineRows(count);
  const opportunity = stack.subgraphs.find((s) => s.definition.name === 'opportunity') as Stack['subgraphs'][number];
  const em = opportunity.orm.em.fork();
  const rows = await em.find(Opportunity, { name: { $like: 'N+1 %' } }, { orderBy: { id: 'desc' }, limit: count });
  for (const o of rows) {
    const { storefrontId } = o;
    for (let i = 0; i < 3; i += 1) {
      em.create(OpportunityTask, { opportunityId: o.id, storefrontId, kind: 'CALL', title: `N+1 call ${i}`, status: 'OPEN', progress: 0 });
      em.create(OpportunityNote, { opportunityId: o.id, storefrontId, body: `N+1 note ${i}`, internal: i === 0, authorKind: 'service' });
      em.create(OpportunityHistory, {
        opportunityId: o.id,
        storefrontId,
        toStage: 'PROPOSAL',
        toStatus: 'OPEN',
        actorKind: 'service',
        at: new Date(),
      });
    }
  }
  await em.flush();
}

describe('the sales pipeline lists (opportunity subgraph)', () => {
  const LEADS = `query ($first: Int) { leads(first: $first) { nodes { id status tmfStatus customer { id name }
    score scoreExplanation { rule } duplicateOf { id } duplicates { score lead { id status } } } } }`;
  const OPPORTUNITIES = `query ($first: Int) { opportunities(first: $first) {
    nodes { id stage status tmfStatus lead { id status customer { id name } } customer { id name }
      lines { productId quantity unitMonthly } history(first: 1) { nodes { toStage actor at } } estimatedValue { firstYear }
      customFields { key value } } } }`;
  // Tasks, notes, shares and routing of each opportunity (domain/work): one statement per list.
  const WORK = `query ($first: Int) { opportunities(first: $first) {
    nodes { id tasks(first: 1) { nodes { id opportunity { id } } } notes(first: 1) { nodes { id } } internalNotes(first: 1) { nodes { id } } shares { staffId } teamId escalationLevel } } }`;

  it('leads and opportunities: no more statements for a full page than for two rows', async () => {
    await newestPipelineRows(3);
    // Full pages as large as the query cost limit lets each shape be (its nested pages count).
    for (const [query, field, full] of [
      [LEADS, 'leads', 100],
      [OPPORTUNITIES, 'opportunities', 90],
      [WORK, 'opportunities', 60],
    ] as const) {
      const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
      await manager(query, { first: 2 });
      const small = await manager(query, { first: 2 });
      const big = await manager(query, { first: full });
      expect(small.body.errors, JSON.stringify(small.body.errors)).toBeUndefined();
      expect(big.body.errors, JSON.stringify(big.body.errors)).toBeUndefined();
      expect(big.body.data?.[field].nodes.length).toBeGreaterThan(small.body.data?.[field].nodes.length);
      expect(big.statements).toBeLessThanOrEqual(small.statements);
    }
  });
  it('a staff member’s list with opportunities shared outside their segments: shares in the one list statement', async () => {
    const opportunity = stack.subgraphs.find((s) => s.definition.name === 'opportunity') as Stack['subgraphs'][number];
    const em = opportunity.orm.em.fork();
    const consumerAgent = seedId('staff', 'volt-consumer');
    for (let i = 0; i < 3; i += 1) {
      const o = em.create(Opportunity, {
        storefrontId: STOREFRONT_IDS.volt,
        customerId: customerId('globex'),
        segment: 'smb',
        name: `N+1 shared ${i}`,
        type: 'UPSELL',
        stage: 'PROPOSAL',
        status: 'OPEN',
      });
      await em.flush();
      em.create(OpportunityShare, { opportunityId: o.id, storefrontId: STOREFRONT_IDS.volt, staffId: consumerAgent, canWrite: i === 0 });
      await em.flush();
    }
    const agent = (await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example')).gql;
    const LIST = `query ($first: Int) { opportunities(first: $first) { nodes { id segment customer { id } lines { productId } tasks(first: 1) { nodes { id } } shares { staffId } } } }`;
    await agent(LIST, { first: 2 });
    const small = await agent(LIST, { first: 2 });
    const big = await agent(LIST, { first: 100 });
    expect(big.body.errors, JSON.stringify(big.body.errors)).toBeUndefined();
    const segments = big.body.data?.opportunities.nodes.map((n: { segment: string }) => n.segment);
    expect(segments).toEqual(expect.arrayContaining(['smb', 'consumer']));
    expect(big.statements).toBeLessThanOrEqual(small.statements);
  });
});

describe('connections under many parents (Customer.leads/opportunities/tickets/offers/carts/orders/children, Campaign.leads, Product.offers, Order.tickets)', () => {
  const ACCOUNTS = `query ($parents: Int, $first: Int, $last: Int) { customers(first: $parents) { nodes { id
    leads(first: $first, last: $last) { nodes { id } pageInfo { hasNextPage hasPreviousPage } }
    opportunities(first: $first, last: $last) { nodes { id } pageInfo { hasNextPage } }
    tickets(first: $first, last: $last) { nodes { id } pageInfo { hasNextPage } }
    offers(first: $first, last: $last, status: [NEW, SEEN, ACCEPTED, DISMISSED, REDEEMED, EXPIRED]) { nodes { id } pageInfo { hasNextPage } } } } }`;
  const CAMPAIGNS = `query ($parents: Int, $first: Int, $last: Int) { campaigns(first: $parents) { nodes { id
    leads(first: $first, last: $last) { nodes { id } } } } }`;
  const PRODUCTS = `query ($parents: Int, $first: Int, $last: Int) { products(first: $parents) { nodes { id
    offers(first: $first, last: $last) { nodes { id } } } } }`;
  const CART_ACCOUNTS = `query ($parents: Int, $first: Int, $last: Int) { customers(first: $parents) { nodes { id
    carts(first: $first, last: $last) { nodes { id } } orders(first: $first, last: $last) { nodes { id } }
    children(first: $first, last: $last) { nodes { id } } } } }`;
  const ORDERS = `query ($parents: Int, $first: Int, $last: Int) { orders(first: $parents) { nodes { id
    tickets(first: $first, last: $last) { nodes { id } } } } }`;
  const WORK_PAGES = `query ($parents: Int, $first: Int, $last: Int) { opportunities(first: $parents) { nodes { id
    tasks(first: $first, last: $last) { nodes { id } pageInfo { hasNextPage hasPreviousPage } }
    notes(first: $first, last: $last) { nodes { id } } internalNotes(first: $first, last: $last) { nodes { id } }
    history(first: $first, last: $last) { nodes { at } pageInfo { hasNextPage } }
    lead { id mergeHistory(first: $first, last: $last) { nodes { at } } } } } }`;
  const HISTORIES = `query ($parents: Int, $first: Int, $last: Int) { orders(first: $parents) { nodes { id
    history(first: $first, last: $last) { nodes { status at } pageInfo { hasNextPage hasPreviousPage } } } } }`;
  const REPORTS = `query ($parents: Int, $first: Int, $last: Int) { staffMembers(first: $parents) { nodes { id
    reports(first: $first, last: $last) { nodes { id name } pageInfo { hasNextPage } } } } }`;
  const TEAMS = `query ($parents: Int, $first: Int, $last: Int) { teams(first: $parents) { nodes { id
    members(first: $first, last: $last) { nodes { id name } pageInfo { hasNextPage } } } } }`;
  const items = (res: Response) => (JSON.stringify(res.body.data).match(/"id"/g) ?? []).length;

  /** Statements for one parent and a page of one, then for 8 parents and pages of `max` (within the cost limit), forward and backward. */
  async function compare(gql: (q: string, v?: Record<string, unknown>) => Promise<Response>, query: string, max: number) {
    await gql(query, { parents: 1, first: 1 });
    const small = await gql(query, { parents: 1, first: 1 });
    expect(small.body.errors, JSON.stringify(small.body.errors)).toBeUndefined();
    for (const variables of [
      { parents: 8, first: max },
      { parents: 8, last: max },
      { parents: 1, last: 1 },
    ]) {
      // The fewer of two runs: an occasional extra statement seen on a loaded machine (order pages, cause
      // not pinned down) does not repeat, an N+1 does.
      const [one, two] = [await gql(query, variables), await gql(query, variables)];
      const big = one.statements <= two.statements ? one : two;
      expect(big.body.errors, JSON.stringify(big.body.errors)).toBeUndefined();
      expect(big.statements, JSON.stringify(variables)).toBeLessThanOrEqual(small.statements);
    }
    return { small, big: await gql(query, { parents: 8, first: max }) };
  }

  it('staff: an account page with each account’s leads, opportunities, tickets and offers, one statement per list', async () => {
    await newestPipelineRows(3);
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const { small, big } = await compare(manager, ACCOUNTS, 20);
    expect(items(big)).toBeGreaterThan(items(small));
  });

  it('staff: an account page with each account’s open carts, orders (cart subgraph) and sub-accounts', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    await compare(manager, CART_ACCOUNTS, 20);
  });

  it('staff: an opportunity page with each one’s tasks, notes, internal notes, stage history and merge history', async () => {
    await opportunityWork(8);
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const { small, big } = await compare(manager, WORK_PAGES, 20);
    expect(items(big)).toBeGreaterThan(items(small));
    type Work = { tasks: { nodes: unknown[] }; notes: { nodes: unknown[] }; internalNotes: { nodes: unknown[] } };
    const worked = ((big.body.data?.opportunities.nodes ?? []) as Work[]).filter((o) => o.tasks.nodes.length >= 3);
    expect(worked.length).toBeGreaterThan(0);
    for (const o of worked) expect(o.internalNotes.nodes.length).toBeGreaterThan(o.notes.nodes.length);
  });

  it('staff: a campaign page with each campaign’s leads', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    await compare(manager, CAMPAIGNS, 20);
  });

  it('a customer: a product page with each product’s offers (at most 20 a page)', async () => {
    const aoife = (await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
    await compare(aoife, PRODUCTS, 20);
  });

  it('a customer: an order page with each order’s tickets', async () => {
    const oliver = (await signIn(stack.router.handler, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)).gql;
    await compare(oliver, ORDERS, 20);
  });

  it('a customer: an order page with each order’s status history', async () => {
    const oliver = (await signIn(stack.router.handler, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)).gql;
    const { small, big } = await compare(oliver, HISTORIES, 20);
    expect(JSON.stringify(big.body.data).split('"status"').length).toBeGreaterThan(
      JSON.stringify(small.body.data).split('"status"').length,
    );
  });

  it('staff: a page of staff members with each one’s direct reports', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const { small, big } = await compare(manager, REPORTS, 20);
    expect(items(big)).toBeGreaterThan(items(small));
  });

  it('staff: a page of teams with each team’s members', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const { small, big } = await compare(manager, TEAMS, 20);
    expect(items(big)).toBeGreaterThan(items(small));
  });
});
