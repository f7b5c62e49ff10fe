import { randomUUID } from 'node:crypto';
import { Order } from '@dcrm/cart/entities/index.js';
import { notifierOf, type SubgraphTarget } from '@dcrm/kit';
import { stubTarget } from '@dcrm/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { type client, customerId, KEYS, productId, signIn, startTestStack } from './support/stack.js';

/**
 * Notify on change (kit notify-on-change.ts), first used by cart: a staff member moving an order's
 * status tells its customer through the customer subgraph's notification service (`order.statusChanged`),
 * recorded with the change and sent after commit; a refused change tells nobody; a send that cannot
 * reach the customer service never fails the write and is retried by cart's periodic task.
 */
let stack: Stack;
type Gql = ReturnType<typeof client>;
let conor: Gql;
let agent: Gql;
let manager: Gql;

const PLAN = productId('volt-sim-unlimited');
const CONOR = customerId('conor');
const CREATE = `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { id version } userErrors { code } } }`;
const CHECKOUT = `mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) { order { id number } userErrors { code } } }`;
const MOVE = 'mutation ($input: OrderStatusUpdateInput!) { orderStatusUpdate(input: $input) { order { status } userErrors { code } } }';
const HISTORY = `query ($filter: NotificationSentFilter) { notificationsSent(filter: $filter, first: 50) { nodes { templateKey channel subject body status customer { id } } } }`;

const cart = () => stack.subgraphs.find((s) => s.definition.name === 'cart');
const sentFor = async (number: string) =>
  (
    (await dbRows(
      stack,
      'customer',
      `select channel, subject, body, status from "customer"."notification_sent" where template_key = 'order.statusChanged' and body like ? order by channel`,
      [`%${number}%`],
    )) as { channel: string; subject: string; body: string; status: string }[]
  ).filter((r) => r.body.includes(number));
const outboxFor = async (orderNumber: string) =>
  (await dbRows(stack, 'cart', `select * from "cart"."notify_outbox" where variables->>'orderNumber' = ? order by created_at`, [
    orderNumber,
  ])) as { attempts: number; sent_at: Date | null; last_error: string | null; outcome: string | null; variables: Record<string, string> }[];

async function placeOrder(): Promise<{ id: string; number: string }> {
  const created = (await conor(CREATE, { input: { lines: [{ productId: PLAN, quantity: 1 }] } })).body.data?.cartCreate;
  const placed = (
    await conor(CHECKOUT, { input: { cart: { cartId: created.cart.id, version: created.cart.version }, idempotencyKey: randomUUID() } })
  ).body.data?.cartCheckout;
  expect(placed.userErrors).toEqual([]);
  return placed.order;
}

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  conor = (await signIn(h, 'customerLogin', 'conor@example.com', KEYS.volt)).gql;
  agent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  manager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
});
afterAll(() => stack.stop());

describe('an order status change', () => {
  it('tells the customer once, with the order number, status and reason, as soon as the change commits', async () => {
    const order = await placeOrder();
    // Placing it (a create) matches no rule.
    expect(await outboxFor(order.number)).toEqual([]);
    const moved = (await agent(MOVE, { input: { id: order.id, status: 'PROVISIONING' } })).body.data?.orderStatusUpdate;
    expect(moved).toEqual({ order: { status: 'PROVISIONING' }, userErrors: [] });

    const outbox = await outboxFor(order.number);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ attempts: 1, outcome: 'SENT', last_error: null });
    expect(outbox[0].variables).toEqual({ orderNumber: order.number, status: 'PROVISIONING', reason: null });
    expect(outbox[0].sent_at).not.toBeNull();

    const sent = await sentFor(order.number);
    expect(sent.map((s) => s.channel).sort()).toEqual(['EMAIL', 'SITE_MESSAGE']);
    expect(sent.every((s) => s.status === 'SENT' && s.body.includes('PROVISIONING'))).toBe(true);
    // Staff of the brand see it in the sent history, on the customer.
    const history = (await manager(HISTORY, { filter: { customerId: CONOR, templateKey: 'order.statusChanged' } })).body.data
      ?.notificationsSent.nodes;
    expect(history.filter((n: { body: string }) => n.body.includes(order.number))).toHaveLength(2);
    expect(history[0].customer).toEqual({ id: CONOR });

    const cancelled = (await agent(MOVE, { input: { id: order.id, status: 'CANCELLED', reason: 'Out of coverage' } })).body.data
      ?.orderStatusUpdate;
    expect(cancelled.userErrors).toEqual([]);
    const email = (await sentFor(order.number)).filter((s) => s.channel === 'EMAIL' && s.body.includes('CANCELLED'));
    expect(email).toHaveLength(1);
    expect(email[0].body).toContain('Reason: Out of coverage');
    expect(email[0].subject).toBe(`Your order ${order.number} is CANCELLED`);
  });

  it('refused (invalid transition, missing reason) sends nothing', async () => {
    const order = await placeOrder();
    const invalid = (await agent(MOVE, { input: { id: order.id, status: 'ACTIVE' } })).body.data?.orderStatusUpdate;
    expect(invalid.userErrors).toEqual([{ code: 'INVALID_TRANSITION' }]);
    const noReason = (await agent(MOVE, { input: { id: order.id, status: 'CANCELLED' } })).body.data?.orderStatusUpdate;
    expect(noReason.userErrors).toEqual([{ code: 'REQUIRED' }]);
    expect(await outboxFor(order.number)).toEqual([]);
    expect(await sentFor(order.number)).toEqual([]);
  });

  it('with the customer service unreachable, the change still commits; the periodic task sends it later', async () => {
    const booted = cart();
    const notifier = booted && notifierOf(booted.orm);
    if (!notifier) throw new Error('cart declares notify rules');
    const down: SubgraphTarget = stubTarget({
      name: 'customer',
      execute: async () => {
        throw new Error('connection refused');
      },
      ready: async () => false,
    });
    const order = await placeOrder();
    const customer = notifier.connect(() => down);
    try {
      const moved = (await agent(MOVE, { input: { id: order.id, status: 'PROVISIONING' } })).body.data?.orderStatusUpdate;
      expect(moved).toEqual({ order: { status: 'PROVISIONING' }, userErrors: [] });
    } finally {
      if (customer) notifier.connect(customer);
    }
    const waiting = await outboxFor(order.number);
    expect(waiting).toMatchObject([{ attempts: 1, sent_at: null, last_error: 'connection refused' }]);
    expect(await sentFor(order.number)).toEqual([]);

    const run = (await booted.server.tasks['cart:abandonment']()) as { notifications: number };
    expect(run.notifications).toBeGreaterThanOrEqual(1);
    expect(await outboxFor(order.number)).toMatchObject([{ attempts: 2, outcome: 'SENT', last_error: null }]);
    expect((await sentFor(order.number)).map((s) => s.channel).sort()).toEqual(['EMAIL', 'SITE_MESSAGE']);
  });

  it('rolled back with its transaction, tells nobody', async () => {
    const order = await placeOrder();
    const booted = cart();
    if (!booted) throw new Error('no cart');
    const failed = booted.orm.em.fork().transactional(async (tx) => {
      const row = await tx.findOneOrFail(Order, { id: order.id });
      row.status = 'PROVISIONING';
      await tx.flush();
      // The outbox row exists inside the transaction, and goes with it.
      expect(
        await tx
          .getConnection()
          .execute(
            'select 1 from "cart"."notify_outbox" where variables->>\'orderNumber\' = ?',
            [order.number],
            'all',
            tx.getTransactionContext(),
          ),
      ).toHaveLength(1);
      throw new Error('rolled back');
    });
    await expect(failed).rejects.toThrow('rolled back');
    expect(await outboxFor(order.number)).toEqual([]);
    expect(await sentFor(order.number)).toEqual([]);
  });
});
