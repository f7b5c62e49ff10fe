import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, codes, GENEROUS_COST, KEYS, type Response, signIn, startWithManager } from './support/stack.js';

/**
 * Relay paging both ways, through the router, one connection per subgraph family: walking a list
 * backward from the end with `last`/`before` gives the same items as walking it forward with
 * `first`/`after`, each page in the list's order, with `pageInfo` telling where more lies. Page sizes
 * above the maximum and `first` with `last` are refused with BAD_USER_INPUT.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
let shopper: Gql;
let manager: Gql;
let oliver: Gql;
let partner: Gql;

beforeAll(async () => {
  ({ stack, manager } = await startWithManager({ cost: GENEROUS_COST }));
  shopper = client(stack.router.handler, KEYS.volt);
  // The demo's order history is Oliver's (Nimbus).
  oliver = (await signIn(stack.router.handler, 'customerLogin', 'oliver@example.co.uk', KEYS.nimbus)).gql;
  // A partner's accounts: a list other test files barely grow (a brand's accounts pass 100 in a full run).
  partner = (await signIn(stack.router.handler, 'partnerLogin', 'ops@connectify.example')).gql;
});
afterAll(() => stack.stop());

type Info = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
type Page = { ids: string[]; info: Info };

/** A connection field to page: `field(args…)` selected as `{ edges { cursor node { id } } pageInfo }`. */
type Listing = { gql: () => Gql; field: string; args?: string; vars?: string; values?: Record<string, unknown> };

async function page(l: Listing, paging: Record<string, unknown>): Promise<Page> {
  const query = `query ($first: Int, $after: String, $last: Int, $before: String${l.vars ?? ''}) {
    ${l.field}(first: $first, after: $after, last: $last, before: $before${l.args ?? ''}) {
      edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;
  const res = await l.gql()(query, { ...l.values, ...paging });
  expect(res.body.errors).toBeUndefined();
  const c = res.body.data?.[l.field];
  const ids = c.edges.map((e: { node: { id: string } }) => e.node.id);
  expect(c.nodes.map((n: { id: string }) => n.id)).toEqual(ids);
  if (ids.length) {
    expect(c.pageInfo.startCursor).toBe(c.edges[0].cursor);
    expect(c.pageInfo.endCursor).toBe(c.edges.at(-1).cursor);
  }
  return { ids, info: c.pageInfo };
}

/** The whole list, page by page, forward from the start or backward from the end. */
async function walk(l: Listing, size: number, backward: boolean): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 40; i++) {
    const p = await page(l, backward ? { last: size, before: cursor } : { first: size, after: cursor });
    pages.push(p);
    if (!(backward ? p.info.hasPreviousPage : p.info.hasNextPage)) return pages;
    cursor = backward ? p.info.startCursor : p.info.endCursor;
  }
  throw new Error(`${l.field}: more than 40 pages`);
}

/**
 * Other test files write to the same database while a list is walked, so an item created or removed
 * mid-walk may show in one read and not another: the reads are compared on the items all of them saw.
 */
const onCommon = (ids: string[], common: Set<string>) => ids.filter((id) => common.has(id));

async function expectBothWays(l: Listing, minimum = 4): Promise<void> {
  const all = (await page(l, { first: 100 })).ids;
  expect(all.length).toBeGreaterThanOrEqual(minimum);
  const size = Math.max(2, Math.ceil(all.length / 6));
  const forward = await walk(l, size, false);
  const backward = await walk(l, size, true);
  const forwardIds = forward.flatMap((p) => p.ids);
  // Backward pages arrive last page first, each in the list's own order.
  const backwardIds = [...backward].reverse().flatMap((p) => p.ids);
  const common = new Set(all.filter((id) => forwardIds.includes(id) && backwardIds.includes(id)));
  expect(common.size).toBeGreaterThanOrEqual(minimum);
  expect(onCommon(forwardIds, common)).toEqual(onCommon(all, common));
  expect(onCommon(backwardIds, common)).toEqual(onCommon(all, common));
  // The page read from the end knows there is nothing after it; the first page nothing before it.
  expect(backward[0].info.hasNextPage).toBe(false);
  expect(backward.at(-1)?.info.hasPreviousPage).toBe(false);
  if (all.length > size) expect(backward[0].info.hasPreviousPage).toBe(true);
  // A window between two cursors reads the same both ways.
  if (forward.length >= 3) {
    const bounds = { after: forward[0].info.endCursor, before: forward[2].info.startCursor };
    const window = onCommon(forward[1].ids, common);
    expect(onCommon((await page(l, { ...bounds, first: size })).ids, common)).toEqual(window);
    expect(onCommon((await page(l, { ...bounds, last: size })).ids, common)).toEqual(window);
  }
}

const AS_SHOPPER = () => shopper;
const AS_MANAGER = () => manager;

describe('backward paging gives the forward items, reversed page by page', () => {
  it('catalog: products by name, by price and newest first', async () => {
    for (const sort of ['NAME', 'PRICE_DESC', 'NEWEST']) {
      await expectBothWays({ gql: AS_SHOPPER, field: 'products', vars: ', $sort: ProductSort', args: ', sort: $sort', values: { sort } });
    }
  });

  it('customer: accounts', async () => {
    await expectBothWays({ gql: () => partner, field: 'customers' }, 2);
  });

  it('cart: orders', async () => {
    await expectBothWays({ gql: () => oliver, field: 'orders' }, 2);
  });

  it('opportunity: leads by score and opportunities by close date (none last)', async () => {
    await expectBothWays({ gql: AS_MANAGER, field: 'leads', vars: ', $sort: LeadSort', args: ', sort: $sort', values: { sort: 'SCORE' } });
    for (const sort of ['CLOSE_DATE', 'VALUE']) {
      await expectBothWays(
        { gql: AS_MANAGER, field: 'opportunities', vars: ', $sort: OpportunitySort', args: ', sort: $sort', values: { sort } },
        2,
      );
    }
  });

  it('ticket: tickets by priority', async () => {
    await expectBothWays(
      { gql: AS_MANAGER, field: 'tickets', vars: ', $sort: TicketSort', args: ', sort: $sort', values: { sort: 'PRIORITY' } },
      2,
    );
  });

  it('quote: quotes', async () => {
    await expectBothWays({ gql: AS_MANAGER, field: 'quotes' }, 2);
  });
});

describe('page sizes are refused, never clamped', () => {
  const PRODUCTS = 'query ($first: Int, $last: Int) { products(first: $first, last: $last) { nodes { id } } }';

  it('first or last above 100, or both together: BAD_USER_INPUT naming the maximum', async () => {
    for (const variables of [{ first: 101 }, { last: 1000 }, { first: 2, last: 2 }]) {
      const res = await shopper(PRODUCTS, variables);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.data ?? null).toBeNull();
    }
    expect((await shopper(PRODUCTS, { last: 1000 })).body.errors?.[0].message).toContain('100');
  });

  it('bestsellers(first: 1000) is refused instead of returning 100', async () => {
    const res = await shopper('{ bestsellers(first: 1000) { unitsSold } }');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0].message).toContain('100');
    expect((await shopper('{ bestsellers(first: 100) { unitsSold } }')).body.errors).toBeUndefined();
  });
});
