import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, expectRefusedAndUnchanged, type WriteAttempt } from './support/brand-matrix.js';
import {
  type Account,
  APPROVE,
  AWAITING,
  amount,
  BUDGETS,
  cartOf,
  checkout,
  openAccount,
  REJECT,
  REMOVE,
  SET,
} from './support/spend-control.js';
import { client, codes, customerId, KEYS, PRIVATE_KEYS, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * Spend control across brands, segments, partners and kinds of caller. Kelly Plumbing (Volt, smb,
 * partner Connectify) opens a sub-account with a budget and a held order (and, for `Customer.ancestors`,
 * one below it); then every new query, field and mutation is tried by everyone who must not reach it: it
 * is refused and nothing changes.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
let holder: Account;
let buyer: Account;
let budgetId: string;
let held: { id: string; number: string };

const KELLY = customerId('connectify-two');

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  const kelly = (await signIn(h, 'customerLogin', 'office@kellyplumbing.example', KEYS.volt)).gql;
  holder = { id: KELLY, email: 'office@kellyplumbing.example', gql: kelly };
  buyer = await openAccount(stack, kelly, KELLY);
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.globex = (await signIn(h, 'customerLogin', 'telecoms@globex.example', KEYS.volt)).gql;
  as.harbour = (await signIn(h, 'customerLogin', 'hello@harbourcafe.example', KEYS.nimbus)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.shopper = client(h, KEYS.volt);
  as.buyer = buyer.gql;

  const { cart, spend } = await cartOf(buyer.gql);
  const set = (await kelly(SET, { input: { customerId: buyer.id, period: 'QUARTER', amount: amount(spend - 1) } })).body.data
    ?.spendBudgetSet;
  budgetId = set.spendBudget.id;
  held = await checkout(buyer.gql, cart);
  expect((held as { status?: string }).status).toBe('PENDING_APPROVAL');
});
afterAll(() => stack.stop());

const budgetRows = () => dbRows(stack, 'cart', 'select * from "cart"."spend_budget" where customer_id = ? order by period', [buyer.id]);
const orderRows = () => dbRows(stack, 'cart', 'select status, status_reason, version from "cart"."customer_order" where id = ?', [held.id]);
const setInput = () => ({ input: { customerId: buyer.id, period: 'QUARTER', amount: '999999.00' } });

describe('Customer.spendBudgets', () => {
  const budgetsOf = async (who: string) => (await as[who](BUDGETS, { id: buyer.id })).body.data?.customer?.spendBudgets ?? null;

  it('the account itself, the holder above it, staff of its segment and its partner read them', async () => {
    for (const who of ['buyer', 'businessAgent', 'connectify'])
      expect(
        (await budgetsOf(who)).map((b: { id: string }) => b.id),
        who,
      ).toEqual([budgetId]);
    expect((await holder.gql(BUDGETS, { id: buyer.id })).body.data?.customer.spendBudgets).toHaveLength(1);
  });

  it('other customers, other partners, staff of other segments or brands and API keys do not', async () => {
    // The account itself is out of their reach (null), so its budgets are too.
    for (const who of ['aoife', 'globex', 'harbour', 'skyline', 'consumerAgent', 'nimbusAgent'])
      expect(await budgetsOf(who), who).toBeNull();
    expect(codes(await as.shopper(BUDGETS, { id: buyer.id }))).toContain('UNAUTHENTICATED');
    // The chatbot's key acts for nobody in particular: no account to read as.
    expect(codes(await as.chatbot(BUDGETS, { id: buyer.id }))).toContain('UNAUTHENTICATED');
  });
});

describe('Customer.ancestors', () => {
  const ANCESTORS = 'query ($id: ID!) { customer(id: $id) { ancestors { id } } }';
  let leaf: Account;
  beforeAll(async () => {
    leaf = await openAccount(stack, buyer.gql, buyer.id);
  });
  const above = async (gql: Gql, id: string) =>
    ((await gql(ANCESTORS, { id })).body.data?.customer?.ancestors?.map((a: { id: string }) => a.id) as string[] | undefined) ?? null;

  it('lists the accounts above that the caller sees, nearest first', async () => {
    for (const gql of [holder.gql, as.businessAgent, as.connectify]) expect(await above(gql as Gql, leaf.id)).toEqual([buyer.id, KELLY]);
    // A holder in between sees up to its own account, never above it; the account itself sees none above.
    expect(await above(buyer.gql, leaf.id)).toEqual([buyer.id]);
    expect(await above(leaf.gql, leaf.id)).toEqual([]);
    expect(await above(buyer.gql, buyer.id)).toEqual([]);
  });

  it('other customers, partners, segments, brands and API keys reach none', async () => {
    for (const who of ['aoife', 'globex', 'harbour', 'skyline', 'consumerAgent', 'nimbusAgent'])
      expect(await above(as[who] as Gql, leaf.id), who).toBeNull();
    expect(codes(await as.shopper(ANCESTORS, { id: leaf.id }))).toContain('UNAUTHENTICATED');
    expect(codes(await as.chatbot(ANCESTORS, { id: leaf.id }))).toContain('UNAUTHENTICATED');
  });
});

describe('ordersAwaitingApproval', () => {
  const queued = async (who: string) =>
    ((await as[who](AWAITING)).body.data?.ordersAwaitingApproval.nodes ?? []).map((o: { id: string }) => o.id).includes(held.id);

  it('lists a held order to the holder above and staff of its segment only', async () => {
    expect((await holder.gql(AWAITING)).body.data?.ordersAwaitingApproval.nodes.map((o: { id: string }) => o.id)).toContain(held.id);
    expect(await queued('businessAgent')).toBe(true);
    for (const who of ['buyer', 'aoife', 'globex', 'harbour', 'consumerAgent', 'nimbusAgent']) expect(await queued(who), who).toBe(false);
    expect(codes(await as.shopper(AWAITING))).toContain('UNAUTHENTICATED');
    expect(codes(await as.connectify(AWAITING))[0]).toBeDefined();
  });
});

describe('spend control writes', () => {
  const cases: WriteAttempt[] = [];
  const attempt = (
    mutation: string,
    query: string,
    who: string,
    refusal: string,
    variables: () => Record<string, unknown>,
    rows = budgetRows,
  ) => cases.push({ mutation, what: `${who}`, attempt: () => as[who](query, variables()), refusal, rows });

  // Not the account itself, another holder, customer, brand or segment, nor an API key; partners do not even
  // have these mutations in their schema view (refused as unknown fields, HTTP 400).
  for (const [who, refusal] of [
    ['buyer', 'FORBIDDEN'],
    ['aoife', 'FORBIDDEN'],
    ['globex', 'NOT_FOUND'],
    ['harbour', 'NOT_FOUND'],
    ['connectify', 'HTTP 400'],
    ['consumerAgent', 'NOT_FOUND'],
    ['nimbusAgent', 'NOT_FOUND'],
    ['chatbot', 'UNAUTHENTICATED'],
    ['shopper', 'UNAUTHENTICATED'],
  ])
    attempt('spendBudgetSet', SET, who, refusal, setInput);
  for (const [who, refusal] of [
    ['buyer', 'FORBIDDEN'],
    ['aoife', 'FORBIDDEN'],
    ['globex', 'NOT_FOUND'],
    ['harbour', 'NOT_FOUND'],
    ['connectify', 'HTTP 400'],
    ['consumerAgent', 'NOT_FOUND'],
    ['nimbusAgent', 'NOT_FOUND'],
    ['shopper', 'UNAUTHENTICATED'],
  ])
    attempt('spendBudgetRemove', REMOVE, who, refusal, () => ({ input: { id: budgetId } }));
  for (const [mutation, query, extra] of [
    ['orderApprove', APPROVE, {}],
    ['orderReject', REJECT, { reason: 'no' }],
  ] as const)
    for (const [who, refusal] of [
      ['buyer', 'FORBIDDEN'],
      ['aoife', 'FORBIDDEN'],
      ['globex', 'FORBIDDEN'],
      ['harbour', 'FORBIDDEN'],
      ['connectify', 'HTTP 400'],
      ['skyline', 'HTTP 400'],
      ['consumerAgent', 'FORBIDDEN'],
      ['nimbusAgent', 'FORBIDDEN'],
      ['chatbot', 'UNAUTHENTICATED'],
      ['shopper', 'UNAUTHENTICATED'],
    ])
      attempt(mutation, query, who, refusal, () => ({ input: { id: held.id, ...extra } }), orderRows);

  it('are refused for everyone without the right, and change nothing', async () => {
    for (const c of cases) await expectRefusedAndUnchanged(c);
  });

  it('the holder above and staff of the segment may write', async () => {
    const bySegment = (await as.businessAgent(SET, setInput())).body.data?.spendBudgetSet;
    expect(bySegment).toMatchObject({ spendBudget: { id: budgetId, amount: { amount: '999999.00' } }, userErrors: [] });
    const approved = (await holder.gql(APPROVE, { input: { id: held.id } })).body.data?.orderApprove;
    expect(approved).toMatchObject({ order: { status: 'PLACED' }, userErrors: [] });
    const removed = (await holder.gql(REMOVE, { input: { id: budgetId } })).body.data?.spendBudgetRemove;
    expect(removed).toEqual({ spendBudget: { id: budgetId }, userErrors: [] });
    expect(await budgetRows()).toEqual([]);
  });
});
