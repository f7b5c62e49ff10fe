import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { client, codes, customerId, KEYS, PRIVATE_KEYS, type Response, signIn, startTestStack } from '../../../tests/support/stack.js';

/** The ticket subgraph through the router: who sees which tickets, filters, sorts and internal fields. */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const ticketId = (key: string) => seedId('ticket', key);

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.conor = (await signIn(h, 'customerLogin', 'conor@example.com', KEYS.volt)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.voltManager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.catalogAdmin = (await signIn(h, 'staffLogin', 'admin@dcrm.example')).gql;
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

const LIST = `query ($status: [TicketStatus!], $priority: [TicketPriority!], $category: [TicketCategory!], $sort: TicketSort, $first: Int, $after: String) {
  tickets(status: $status, priority: $priority, category: $category, sort: $sort, first: $first, after: $after) {
    nodes { id status priority category customer { id } } pageInfo { hasNextPage endCursor } } }`;

async function ids(gql: Gql, variables: Record<string, unknown> = {}): Promise<string[]> {
  const res = await gql(LIST, { first: 100, ...variables });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return ((res.body.data?.tickets.nodes ?? []) as { id: string }[]).map((n) => n.id);
}

describe('tickets: who sees which', () => {
  it('a customer sees their own tickets only, by list and by id', async () => {
    const own = await ids(as.aoife);
    expect(own.sort()).toEqual([ticketId('aoife-no-data'), ticketId('aoife-double-charge'), ticketId('aoife-coverage')].sort());
    const res = await as.aoife(`{ ticket(id: "${ticketId('aoife-no-data')}") { subject status version customer { id } } }`);
    expect(res.body.data?.ticket).toMatchObject({ status: 'IN_PROGRESS', customer: { id: customerId('aoife') } });
    expect(codes(await as.conor(`{ ticket(id: "${ticketId('aoife-no-data')}") { id } }`))).toEqual(['NOT_FOUND']);
    expect(codes(await as.conor('{ ticket(id: "not-a-uuid") { id } }'))).toEqual(['NOT_FOUND']);
  });

  it("a partner sees its accounts' tickets only", async () => {
    // Other test files raise tickets on Connectify's accounts too: the rule, not a count.
    const own = await ids(as.connectify);
    expect(own).toContain(ticketId('connectify-sim'));
    expect(own).not.toContain(ticketId('skyline-port'));
    expect(own).not.toContain(ticketId('aoife-no-data'));
    expect(codes(await as.connectify(`{ ticket(id: "${ticketId('skyline-port')}") { id } }`))).toEqual(['NOT_FOUND']);
  });

  it("staff see their segments' tickets in their brands, with ticket:read", async () => {
    const consumer = await ids(as.consumerAgent);
    expect(consumer).toEqual(expect.arrayContaining([ticketId('aoife-no-data'), ticketId('conor-delivery'), ticketId('skyline-port')]));
    expect(consumer).not.toContain(ticketId('acme-pbx-down'));
    expect(consumer).not.toContain(ticketId('oliver-broadband'));
    const business = await ids(as.businessAgent);
    expect(business).toEqual(expect.arrayContaining([ticketId('acme-pbx-down'), ticketId('globex-fibre')]));
    expect(business).not.toContain(ticketId('aoife-no-data'));
    expect(await ids(as.nimbusAgent)).toContain(ticketId('oliver-broadband'));
    expect(await ids(as.nimbusAgent)).not.toContain(ticketId('aoife-no-data'));
    expect(codes(await as.nimbusAgent(`{ ticket(id: "${ticketId('aoife-no-data')}") { id } }`))).toEqual(['NOT_FOUND']);
  });

  it('staff without ticket:read, API keys and shoppers are refused', async () => {
    expect(codes(await as.catalogAdmin('{ tickets { nodes { id } } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await as.shopper('{ tickets { nodes { id } } }'))[0]).toMatch(/UNAUTHENTICATED|GRAPHQL_VALIDATION_FAILED/);
    expect(codes(await as.chatbot('{ tickets { nodes { id } } }'))[0]).toMatch(/UNAUTHENTICATED|GRAPHQL_VALIDATION_FAILED/);
  });

  it('internal fields reach staff only', async () => {
    const query = `{ ticket(id: "${ticketId('aoife-double-charge')}") { assignee { id } segment raisedBy { kind staff { id } } } }`;
    const staff = await as.consumerAgent(query);
    expect(staff.body.data?.ticket).toEqual({
      assignee: { id: seedId('staff', 'volt-consumer') },
      segment: 'consumer',
      raisedBy: { kind: 'STAFF', staff: { id: seedId('staff', 'volt-consumer') } },
    });
    const customer = await as.aoife(query);
    expect(customer.body.data?.ticket ?? null).toBeNull();
    expect(codes(customer).length).toBeGreaterThan(0);
    expect(codes(customer).every((c) => c === 'FORBIDDEN' || c === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    const partner = await as.connectify(`{ ticket(id: "${ticketId('connectify-sim')}") { subject segment } }`);
    expect(codes(partner).every((c) => c === 'FORBIDDEN' || c === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
  });
});

describe('tickets: filters, sorts and pages', () => {
  it('filters by status, priority and category', async () => {
    const manager = await ids(as.voltManager, { status: ['HELD', 'PENDING'] });
    expect(manager.sort()).toEqual([ticketId('acme-pbx-down'), ticketId('globex-fibre')].sort());
    expect(await ids(as.voltManager, { priority: ['CRITICAL'], category: ['TECHNICAL'] })).toEqual([ticketId('acme-pbx-down')]);
    expect(await ids(as.aoife, { category: ['BILLING'] })).toEqual([ticketId('aoife-double-charge')]);
  });

  it('pages through the queue by priority with keyset cursors, and refuses a cursor of another sort', async () => {
    const all = await ids(as.voltManager, { sort: 'PRIORITY' });
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res: Response = await as.voltManager(LIST, { sort: 'PRIORITY', first: 3, after });
      const page = res.body.data?.tickets;
      seen.push(...page.nodes.map((n: { id: string }) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    const ranks = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 } as const;
    const priorities = (await as.voltManager(LIST, { sort: 'PRIORITY', first: 100 })).body.data?.tickets.nodes.map(
      (n: { priority: keyof typeof ranks }) => ranks[n.priority],
    );
    expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
    const first = await as.voltManager(LIST, { sort: 'NEWEST', first: 1 });
    const cursor = first.body.data?.tickets.pageInfo.endCursor;
    expect(codes(await as.voltManager(LIST, { sort: 'PRIORITY', after: cursor }))).toEqual(['BAD_USER_INPUT']);
  });
});
