import { randomUUID } from 'node:crypto';
import { newId, SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import { signedHeaders } from '@dcrm/kit/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { type Account, APPROVE, AWAITING, amount, BUDGETS, cartOf, checkout, openAccount, PLAN, SET } from './support/spend-control.js';
import { customerId, KEYS, STOREFRONT_IDS, signIn, startTestStack } from './support/stack.js';

/**
 * Spend control over an account tree, through the router: a budget spends the orders of its account and
 * every account below it; an order must fit every budget on its way up and goes, over one, to the holder
 * above the highest budget it breaches; orders of two sub-accounts queue on their parent's budget; sale
 * orders (a won opportunity, an accepted quote) are checked like checkouts. Each test opens its own
 * company (detached from Acme, so Acme's seeded tree stays intact): top → mid → leaves.
 */
let stack: Stack;
type Gql = Account['gql'];
let acme: Gql;
let businessAgent: Gql;

const ACME = customerId('acme-telecom-buyers');
const VOLT = STOREFRONT_IDS.volt;

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  acme = (await signIn(h, 'customerLogin', 'it@acme.example', KEYS.volt)).gql;
  businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
});
afterAll(() => stack.stop());

/** A top-level company with a mid account under it and `leaves` accounts under the mid one, each signed in as its holder. */
async function tree(leaves = 1) {
  const top = await openAccount(stack, acme, ACME);
  await dbRows(stack, 'customer', `update "customer"."customer" set parent_id = null where id = ?`, [top.id]);
  const mid = await openAccount(stack, top.gql, top.id);
  const below: Account[] = [];
  for (let i = 0; i < leaves; i += 1) below.push(await openAccount(stack, mid.gql, mid.id));
  return { top, mid, leaves: below };
}

async function budget(setter: Gql, customerId: string, cents: number) {
  const res = (await setter(SET, { input: { customerId, period: 'MONTH', amount: amount(cents) } })).body.data?.spendBudgetSet;
  expect(res.userErrors).toEqual([]);
  return res.spendBudget;
}

const spentOf = async (gql: Gql, id: string) =>
  (await gql(BUDGETS, { id })).body.data?.customer.spendBudgets.map((b: { spent: { amount: string } }) => b.spent.amount);
const queue = async (gql: Gql) =>
  ((await gql(AWAITING)).body.data?.ordersAwaitingApproval.nodes ?? []).map((o: { id: string }) => o.id) as string[];
const approve = async (gql: Gql, id: string) => (await gql(APPROVE, { input: { id } })).body.data?.orderApprove;
/** Who was told of a held order (template `order.approvalRequested`). */
const toldOf = async (orderNumber: string) =>
  (
    (await dbRows(
      stack,
      'cart',
      `select customer_id from "cart"."notify_outbox" where template_key = 'order.approvalRequested' and variables->>'orderNumber' = ?`,
      [orderNumber],
    )) as { customer_id: string }[]
  ).map((r) => r.customer_id);
const approverOf = async (orderId: string) =>
  ((await dbRows(stack, 'cart', 'select approver_id from "cart"."customer_order" where id = ?', [orderId]))[0] as { approver_id: string })
    .approver_id;

describe('spend control over an account tree', () => {
  it('a budget spends its whole tree: a leaf’s order counts on the mid account’s and the top account’s budgets', async () => {
    const { top, mid, leaves } = await tree();
    const [leaf] = leaves as [Account];
    const { cart, spend } = await cartOf(leaf.gql);
    await budget(top.gql, mid.id, spend * 10);
    // The top account's budget is set by staff (nobody sits above it).
    await budget(businessAgent, top.id, spend * 20);
    expect((await checkout(leaf.gql, cart)).status).toBe('PLACED');
    expect(await spentOf(top.gql, mid.id)).toEqual([amount(spend)]);
    expect(await spentOf(mid.gql, mid.id)).toEqual([amount(spend)]);
    expect(await spentOf(businessAgent, top.id)).toEqual([amount(spend)]);
    // The mid account's own order counts on its budget and the top one's, not on a sibling's.
    const own = await cartOf(mid.gql);
    expect((await checkout(mid.gql, own.cart)).status).toBe('PLACED');
    expect(await spentOf(top.gql, mid.id)).toEqual([amount(spend + own.spend)]);
    expect(await spentOf(businessAgent, top.id)).toEqual([amount(spend + own.spend)]);
  });

  it('an order over a budget two levels up is held for the holder above that budget, not the one in between', async () => {
    const { top, mid, leaves } = await tree();
    const [leaf] = leaves as [Account];
    const { cart, spend } = await cartOf(leaf.gql);
    await budget(top.gql, mid.id, spend - 1);
    const order = await checkout(leaf.gql, cart);
    expect(order).toMatchObject({ status: 'PENDING_APPROVAL', statusReason: 'Over the month budget of an account above' });
    expect(await approverOf(order.id)).toBe(top.id);
    expect(await toldOf(order.number)).toEqual([top.id]);
    expect(await queue(top.gql)).toContain(order.id);
    // The mid holder's own budget is what was breached: it cannot wave it through.
    expect(await queue(mid.gql)).not.toContain(order.id);
    expect((await approve(mid.gql, order.id)).userErrors).toEqual([{ code: 'FORBIDDEN' }]);
    expect(await approve(top.gql, order.id)).toMatchObject({ order: { status: 'PLACED' }, userErrors: [] });
  });

  it('breaching its own budget and one above, an order goes to the highest holder; within both, it is placed', async () => {
    const { top, mid, leaves } = await tree();
    const [leaf] = leaves as [Account];
    const { cart, spend } = await cartOf(leaf.gql);
    await budget(mid.gql, leaf.id, spend - 1);
    await budget(top.gql, mid.id, spend - 1);
    const both = await checkout(leaf.gql, cart);
    expect(both.status).toBe('PENDING_APPROVAL');
    expect(await approverOf(both.id)).toBe(top.id);
    // Its own budget alone: the holder directly above decides.
    await budget(top.gql, mid.id, spend * 10);
    const again = await cartOf(leaf.gql);
    const own = await checkout(leaf.gql, again.cart);
    expect(own).toMatchObject({ status: 'PENDING_APPROVAL', statusReason: expect.stringMatching(/^Over the month budget: /) });
    expect(await approverOf(own.id)).toBe(mid.id);
    expect(await queue(mid.gql)).toContain(own.id);
    // A holder above the deciding one may decide too.
    expect(await approve(top.gql, own.id)).toMatchObject({ order: { status: 'PLACED' }, userErrors: [] });
  });

  it('a holder lists its sub-accounts’ budgets in statements that do not grow with the page', async () => {
    const { mid, leaves } = await tree(2);
    for (const leaf of leaves) await budget(mid.gql, leaf.id, 10_000);
    const LIST = `query ($first: Int) { customer(id: "${mid.id}") { children(first: $first) { nodes { id spendBudgets { spent { amount } } } } } }`;
    // The fewest of two tries each: the router's key cache (30 s) may refill during any one request.
    const fewest = async (first: number) => {
      const tries = [await mid.gql(LIST, { first }), await mid.gql(LIST, { first })];
      return { body: tries[1]?.body, statements: Math.min(...tries.map((t) => t.statements)) };
    };
    const one = await fewest(1);
    const two = await fewest(2);
    expect(two.body?.data?.customer.children.nodes.map((c: { spendBudgets: unknown[] }) => c.spendBudgets.length)).toEqual([1, 1]);
    expect(two.statements, `${one.statements} statements for one account`).toBe(one.statements);
  });

  it('two sub-accounts checking out at once cannot both spend the last of their parent’s budget', async () => {
    const { top, mid, leaves } = await tree(2);
    const [a, b] = leaves as [Account, Account];
    const first = await cartOf(a.gql);
    const second = await cartOf(b.gql);
    await budget(top.gql, mid.id, Math.round(first.spend * 1.5));
    const orders = await Promise.all([checkout(a.gql, first.cart), checkout(b.gql, second.cart)]);
    expect(orders.map((o) => o.status).sort()).toEqual(['PENDING_APPROVAL', 'PLACED']);
    expect(await spentOf(top.gql, mid.id)).toEqual([amount(first.spend + second.spend)]);
  });
});

/** A won opportunity of the account, with one line, straight in the opportunity tables. */
async function wonOpportunity(accountId: string): Promise<string> {
  const id = newId();
  await dbRows(
    stack,
    'opportunity',
    `insert into "opportunity"."opportunity" (id, storefront_id, customer_id, segment, name, stage, status, created_at, updated_at)
     values (?, ?, ?, 'smb', ?, 'WON', 'WON', now(), now())`,
    [id, VOLT, accountId, `Spend ${id.slice(0, 8)}`],
  );
  await dbRows(
    stack,
    'opportunity',
    `insert into "opportunity"."opportunity_line" (id, opportunity_id, storefront_id, product_id, name, kind, quantity, position,
       one_off, monthly, currency, created_at, updated_at) values (?, ?, ?, ?, 'Plan', 'PLAN', 1, 0, 0, 0, 'EUR', now(), now())`,
    [newId(), id, VOLT, PLAN],
  );
  return id;
}

const CONVERT = `mutation ($id: ID!, $key: String!) { opportunityConvert(id: $id, idempotencyKey: $key) {
  opportunity { order { id status statusReason } } userErrors { code } } }`;

/** An accepted quote's order, as the quote service places it (straight to the cart subgraph, signed as that service). */
async function quoteOrder(accountId: string, actedBy: string) {
  const body = {
    query: `mutation ($input: OrderPlaceForSaleInput!) { orderPlaceForSale(input: $input) { order { id status } userErrors { code } } }`,
    variables: {
      input: {
        customerId: accountId,
        lines: [{ productId: PLAN, quantity: 1 }],
        source: { kind: 'QUOTE', id: newId() },
        idempotencyKey: `quote:${randomUUID()}`,
        actedBy,
      },
    },
  };
  const cart = stack.subgraphs.find((s) => s.definition.name === 'cart')?.server.handler as Parameters<typeof request>[0];
  const principal = servicePrincipal('quote', VOLT, [SERVICE_SCOPES.orderPlaceForSale]);
  const res = await request(cart)
    .post('/graphql')
    .set(signedHeaders(principal, 'cart', body))
    .send(body);
  return res.body.data?.orderPlaceForSale as { order: { id: string; status: string } | null; userErrors: { code: string }[] };
}

describe('sale orders under spend control', () => {
  it('a won opportunity of a sub-account over its budget is held for the holder above, who approves it', async () => {
    const { top, mid } = await tree(0);
    const { spend } = await cartOf(mid.gql);
    await budget(top.gql, mid.id, spend - 1);
    const res = await businessAgent(CONVERT, { id: await wonOpportunity(mid.id), key: randomUUID() });
    const order = res.body.data?.opportunityConvert.opportunity?.order;
    expect(order, JSON.stringify(res.body)).toMatchObject({
      status: 'PENDING_APPROVAL',
      statusReason: expect.stringMatching(/month budget/),
    });
    expect(await approverOf(order.id)).toBe(top.id);
    expect(await queue(top.gql)).toContain(order.id);
    expect(await approve(top.gql, order.id)).toMatchObject({ order: { status: 'PLACED' }, userErrors: [] });
    const [row] = (await dbRows(
      stack,
      'cart',
      `select round(((totals->>'dueNow')::numeric + (totals->>'monthly')::numeric) * 100)::int as spend from "cart"."customer_order" where id = ?`,
      [order.id],
    )) as { spend: number }[];
    expect(await spentOf(top.gql, mid.id)).toEqual([amount(Number(row?.spend))]);
  });

  it('a quote accepted by the account itself is held; accepted by the deciding holder, it is placed', async () => {
    const { top, mid, leaves } = await tree();
    const [leaf] = leaves as [Account];
    const { spend } = await cartOf(leaf.gql);
    await budget(top.gql, mid.id, spend - 1);
    expect(await quoteOrder(leaf.id, leaf.id)).toMatchObject({ order: { status: 'PENDING_APPROVAL' }, userErrors: [] });
    // The mid holder is below the budget it breaches: still held.
    expect((await quoteOrder(leaf.id, mid.id))?.order?.status).toBe('PENDING_APPROVAL');
    expect((await quoteOrder(leaf.id, top.id))?.order?.status).toBe('PLACED');
    // Within every budget, a sale is placed as before.
    await budget(top.gql, mid.id, spend * 100);
    expect((await quoteOrder(leaf.id, newId()))?.order?.status).toBe('PLACED');
  });
});
