import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { type Account, APPROVE, AWAITING, amount, BUDGETS, cartOf, checkout, openAccount, REJECT, SET } from './support/spend-control.js';
import { customerId, KEYS, signIn, startTestStack } from './support/stack.js';

/**
 * B2B spend control through the router: a sub-account's checkout over its budget (or per-order limit)
 * is held for the holder of the account above (PENDING_APPROVAL, the holder told), who approves it into
 * an ordinary placed order or rejects it (the budget released, the buyer told). Each test opens its own
 * company (a top-level business, signed in as its holder) and sub-account, so budgets never meet.
 */
let stack: Stack;
type Gql = Account['gql'];
let acme: Gql;
let businessAgent: Gql;

const ACME = customerId('acme-telecom-buyers');

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  acme = (await signIn(h, 'customerLogin', 'it@acme.example', KEYS.volt)).gql;
  businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
});
afterAll(() => stack.stop());

/**
 * A fresh company (its holder) with one sub-account under it. The company is opened under Acme (the
 * way a holder opens one) and then made a top-level account, so Acme's seeded tree stays as seeded for
 * the test files that assert it.
 */
async function company() {
  const holder = await openAccount(stack, acme, ACME);
  await dbRows(stack, 'customer', `update "customer"."customer" set parent_id = null where id = ?`, [holder.id]);
  const buyer = await openAccount(stack, holder.gql, holder.id);
  return { holder, buyer };
}

async function budget(holder: Gql, customerId: string, cents: number, perOrderLimit?: number) {
  const input = {
    customerId,
    period: 'MONTH',
    amount: amount(cents),
    perOrderLimit: perOrderLimit === undefined ? null : amount(perOrderLimit),
  };
  const res = (await holder(SET, { input })).body.data?.spendBudgetSet;
  expect(res.userErrors).toEqual([]);
  return res.spendBudget;
}

const placedEvents = (orderId: string) =>
  dbRows(stack, 'cart', `select id from "cart"."outbox" where type = 'dcrm.order.placed' and payload->>'orderId' = ?`, [orderId]);
const notices = (orderNumber: string, template: string) =>
  dbRows(
    stack,
    'cart',
    `select customer_id, variables, outcome from "cart"."notify_outbox" where template_key = ? and variables->>'orderNumber' = ?`,
    [template, orderNumber],
  ) as Promise<{ customer_id: string; variables: Record<string, string | null>; outcome: string | null }[]>;
const spentOf = async (gql: Gql, id: string) =>
  (await gql(BUDGETS, { id })).body.data?.customer.spendBudgets.map((b: { spent: { amount: string } }) => b.spent.amount);

describe('spend control', () => {
  it('an order within budget is placed as usual, and the period shows what it spent', async () => {
    const { holder, buyer } = await company();
    const { cart, spend } = await cartOf(buyer.gql);
    const set = await budget(holder.gql, buyer.id, spend * 10);
    expect(set).toMatchObject({
      period: 'MONTH',
      amount: { amount: amount(spend * 10), currencyCode: 'EUR' },
      spent: { amount: '0.00' },
      timeZone: 'Europe/Dublin',
    });
    const order = await checkout(buyer.gql, cart);
    expect(order).toMatchObject({ status: 'PLACED', statusReason: null });
    expect(await placedEvents(order.id)).toHaveLength(1);
    const read = (await holder.gql(BUDGETS, { id: buyer.id })).body.data?.customer.spendBudgets;
    expect(read).toEqual([expect.objectContaining({ spent: { amount: amount(spend) }, remaining: { amount: amount(spend * 9) } })]);
    // The buyer reads its own budget too.
    expect(await spentOf(buyer.gql, buyer.id)).toEqual([amount(spend)]);
  });

  it('an order over budget is held for the holder, who is told; approving places it', async () => {
    const { holder, buyer } = await company();
    const { cart, spend } = await cartOf(buyer.gql);
    await budget(holder.gql, buyer.id, spend - 1);
    const order = await checkout(buyer.gql, cart);
    expect(order.status).toBe('PENDING_APPROVAL');
    expect(order.statusReason).toMatch(/month budget/);
    // Held: no order.placed event; the holder (not the buyer) is told.
    expect(await placedEvents(order.id)).toEqual([]);
    const told = await notices(order.number, 'order.approvalRequested');
    expect(told).toEqual([expect.objectContaining({ customer_id: holder.id, outcome: 'SENT' })]);
    const inbox = await dbRows(
      stack,
      'customer',
      `select template_key from "customer"."notification_sent" where customer_id = ? and template_key = 'order.approvalRequested'`,
      [holder.id],
    );
    expect(inbox.length).toBeGreaterThan(0);
    // A pending order holds its share of the budget.
    expect(await spentOf(holder.gql, buyer.id)).toEqual([amount(spend)]);

    // It waits in the holder's queue (not in the buyer's: it cannot decide its own order).
    const queue = async (gql: Gql) => (await gql(AWAITING)).body.data?.ordersAwaitingApproval.nodes;
    expect(await queue(holder.gql)).toEqual([{ id: order.id, status: 'PENDING_APPROVAL', customer: { id: buyer.id } }]);
    expect(await queue(buyer.gql)).toEqual([]);

    const approved = (await holder.gql(APPROVE, { input: { id: order.id } })).body.data?.orderApprove;
    expect(approved).toEqual({ order: { id: order.id, status: 'PLACED', statusReason: null }, userErrors: [] });
    expect(await queue(holder.gql)).toEqual([]);
    expect(await placedEvents(order.id)).toHaveLength(1);
    // Decided once: a second approval is refused.
    expect((await holder.gql(APPROVE, { input: { id: order.id } })).body.data?.orderApprove.userErrors).toEqual([
      { code: 'INVALID_TRANSITION' },
    ]);
  });

  it('rejecting releases the budget and tells the buyer why', async () => {
    const { holder, buyer } = await company();
    const { cart, spend } = await cartOf(buyer.gql);
    await budget(holder.gql, buyer.id, spend - 1);
    const order = await checkout(buyer.gql, cart);
    expect(order.status).toBe('PENDING_APPROVAL');
    const blank = (await holder.gql(REJECT, { input: { id: order.id, reason: ' ' } })).body.data?.orderReject;
    expect(blank).toEqual({ order: null, userErrors: [{ code: 'REQUIRED' }] });
    const rejected = (await holder.gql(REJECT, { input: { id: order.id, reason: 'Not this quarter' } })).body.data?.orderReject;
    expect(rejected).toEqual({ order: { id: order.id, status: 'REJECTED', statusReason: 'Not this quarter' }, userErrors: [] });
    expect(await spentOf(holder.gql, buyer.id)).toEqual(['0.00']);
    expect(await placedEvents(order.id)).toEqual([]);
    const told = await notices(order.number, 'order.statusChanged');
    expect(told).toEqual([
      expect.objectContaining({
        customer_id: buyer.id,
        variables: { orderNumber: order.number, status: 'REJECTED', reason: 'Not this quarter' },
      }),
    ]);
  });

  it('an order over the per-order limit is held even with budget left', async () => {
    const { holder, buyer } = await company();
    const { cart, spend } = await cartOf(buyer.gql);
    await budget(holder.gql, buyer.id, spend * 100, spend - 1);
    const order = await checkout(buyer.gql, cart);
    expect(order).toMatchObject({ status: 'PENDING_APPROVAL', statusReason: expect.stringMatching(/per-order limit/) });
    const small = await cartOf(buyer.gql);
    await budget(holder.gql, buyer.id, spend * 100, spend);
    expect((await checkout(buyer.gql, small.cart)).status).toBe('PLACED');
  });

  it('two checkouts at once cannot both spend the last of a budget: one is held', async () => {
    const { holder, buyer } = await company();
    const first = await cartOf(buyer.gql);
    const second = await cartOf(buyer.gql);
    await budget(holder.gql, buyer.id, Math.round(first.spend * 1.5));
    const orders = await Promise.all([checkout(buyer.gql, first.cart), checkout(buyer.gql, second.cart)]);
    expect(orders.map((o) => o.status).sort()).toEqual(['PENDING_APPROVAL', 'PLACED']);
  });

  it('only a holder above the buyer or staff of its segment decide: not the buyer, not another holder', async () => {
    const { holder, buyer } = await company();
    const other = await company();
    const { cart, spend } = await cartOf(buyer.gql);
    await budget(holder.gql, buyer.id, spend - 1);
    const order = await checkout(buyer.gql, cart);
    expect(order.status).toBe('PENDING_APPROVAL');
    // The buyer is itself a business holder (of its own sub-accounts), yet cannot approve its own order.
    expect((await buyer.gql(APPROVE, { input: { id: order.id } })).body.data?.orderApprove.userErrors).toEqual([{ code: 'FORBIDDEN' }]);
    expect((await other.holder.gql(APPROVE, { input: { id: order.id } })).body.data?.orderApprove.userErrors).toEqual([
      { code: 'FORBIDDEN' },
    ]);
    expect((await other.holder.gql(REJECT, { input: { id: order.id, reason: 'no' } })).body.data?.orderReject.userErrors).toEqual([
      { code: 'FORBIDDEN' },
    ]);
    // Nor does a sub-account set its own budget.
    const own = await buyer.gql(SET, { input: { customerId: buyer.id, period: 'MONTH', amount: '1000000.00' } });
    expect(own.body.data?.spendBudgetSet.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['input', 'customerId'] }]);
    // Staff of the account's segment with `order:write` may decide.
    const approved = (await businessAgent(APPROVE, { input: { id: order.id } })).body.data?.orderApprove;
    expect(approved).toMatchObject({ order: { status: 'PLACED' }, userErrors: [] });
  });
});
