import { randomUUID } from 'node:crypto';
import { type ManualClock, manualClock } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Stack, startStack } from '../stack/src/stack.js';
import { client, KEYS, productId, type Response, registerCustomer, signIn } from './support/stack.js';

/** Browse → cart → walk away → reminder with a drop link → recover on another device → check out. Time is a manual clock. */
let stack: Stack;
let clock: ManualClock;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const HOUR = 3_600_000;
const PLAN = productId('volt-sim-unlimited');

beforeAll(async () => {
  clock = manualClock(new Date());
  stack = await startStack({ databaseUrl: inject('databaseUrl'), seed: false, clock });
});
afterAll(() => stack.stop());

const cartSubgraph = () => stack.subgraphs.find((s) => s.definition.name === 'cart') as Stack['subgraphs'][number];
const runTask = () => cartSubgraph().server.tasks['cart:abandonment']() as Promise<{ links: number; reminders: number }>;
const sql = (query: string, params: unknown[] = []) => cartSubgraph().orm.em.fork().getConnection().execute(query, params);

/** Reminder emails a customer was sent, from the notification service's history, with the drop-link token each carries. */
async function emailsTo(customerId: string): Promise<{ channel: string; body: string; link_token: string }[]> {
  const rows = (await sql(
    `select channel, body from "customer"."notification_sent" where customer_id = ? and channel = 'EMAIL' and template_key like 'cart.%' order by id`,
    [customerId],
  )) as { channel: string; body: string }[];
  return rows.map((r) => ({ ...r, link_token: /token=([^&\s]+)/.exec(r.body)?.[1] ?? '' }));
}

/** A fresh customer (so other test files' carts never interfere), signed in. */
async function newCustomer(marketingChannels: string[]): Promise<{ gql: Gql; id: string }> {
  const { id, gql } = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Walk Away', marketingChannels, prefix: 'abandon' });
  return { gql, id };
}

async function cartWithPlan(gql: Gql) {
  const res = await gql(
    'mutation { cartCreate(input: { lines: [{ productId: "' + PLAN + '" }] }) { cart { id version lines { id } } userErrors { code } } }',
  );
  return res.body.data?.cartCreate.cart as { id: string; version: number; lines: { id: string }[] };
}

describe('cart abandonment and recovery', () => {
  it('walks the whole journey through the router', async () => {
    const { gql, id } = await newCustomer(['EMAIL']);
    expect((await gql(`mutation { productViewed(input: { productId: "${PLAN}" }) { recorded } }`)).body.data?.productViewed).toEqual({
      recorded: true,
    });
    const cart = await cartWithPlan(gql);

    // Not idle yet: nothing happens.
    await runTask();
    expect(await sql('select count(*)::int as n from "cart"."drop_link" where cart_id = ?', [cart.id])).toEqual([{ n: 0 }]);

    // Walk away for two hours: one drop link, the first reminder on the inbox and by email.
    clock.advance(2 * HOUR);
    await runTask();
    const links = await sql('select id, kind from "cart"."drop_link" where cart_id = ?', [cart.id]);
    expect(links).toEqual([{ id: expect.any(String), kind: 'CART' }]);
    const [email] = await emailsTo(id);
    expect(email).toMatchObject({ channel: 'EMAIL', link_token: expect.stringMatching(/^dl_/) });
    expect(email.body).toContain(email.link_token);
    const inbox = (await gql('{ me { siteMessages { nodes { title body } } } }')).body.data?.me.siteMessages.nodes;
    expect(inbox).toEqual([{ title: 'Your cart is waiting', body: expect.stringContaining(email.link_token) }]);

    // Another device, signed out: the link restores the cart exactly, twice without harm.
    const phone = client(stack.router.handler, KEYS.volt);
    const recover = `mutation ($t: String!) { dropLinkRecover(input: { token: $t }) { recovery { kind step cartToken cart { id lines { product { id } quantity } } } userErrors { code } } }`;
    const first = (await phone(recover, { t: email.link_token })).body.data?.dropLinkRecover;
    expect(first.recovery).toMatchObject({
      kind: 'CART',
      step: 'CART',
      cart: { id: cart.id, lines: [{ product: { id: PLAN }, quantity: 1 }] },
    });
    const again = (await phone(recover, { t: email.link_token })).body.data?.dropLinkRecover;
    expect(again.userErrors).toEqual([]);
    const onPhone = await phone(`{ cart(id: "${cart.id}", cartToken: "${again.recovery.cartToken}") { lines { quantity } } }`);
    expect(onPhone.body.data?.cart.lines).toEqual([{ quantity: 1 }]);

    // Recovered: later reminders are cancelled.
    clock.advance(48 * HOUR);
    await runTask();
    expect(await emailsTo(id)).toHaveLength(1);

    // Back on the first device the customer checks out; the link counts as converted.
    const { version } = (await gql(`{ cart(id: "${cart.id}") { version } }`)).body.data!.cart;
    const order = await gql(
      'mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) { order { status } userErrors { code } } }',
      {
        input: { cart: { cartId: cart.id, version }, idempotencyKey: randomUUID() },
      },
    );
    expect(order.body.data?.cartCheckout).toEqual({ order: { status: 'PLACED' }, userErrors: [] });
    expect(
      (
        await sql('select recovered_at is not null as r, converted_at is not null as c from "cart"."drop_link" where cart_id = ?', [
          cart.id,
        ])
      )[0],
    ).toEqual({ r: true, c: true });

    const agent = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const kpis = (await agent('{ recoveryKpis { cartsAbandoned linksSent recovered converted recoveryRate } }')).body.data?.recoveryKpis;
    expect(kpis.cartsAbandoned).toBeGreaterThanOrEqual(1);
    expect(kpis.converted).toBeGreaterThanOrEqual(1);
    expect(kpis.recoveryRate).toBeGreaterThan(0);
  });

  it('a link opened many times at once: every call answers a cart token that opens the cart', async () => {
    const { gql, id } = await newCustomer(['EMAIL']);
    const cart = await cartWithPlan(gql);
    clock.advance(2 * HOUR);
    await runTask();
    const [email] = await emailsTo(id);
    const phone = client(stack.router.handler, KEYS.volt);
    const recover = 'mutation ($t: String!) { dropLinkRecover(input: { token: $t }) { recovery { cartToken } userErrors { code } } }';
    // A double tap, a retry and a link preview, all at once.
    const results = await Promise.all(Array.from({ length: 20 }, () => phone(recover, { t: email.link_token })));
    const payloads = results.map((r) => r.body.data?.dropLinkRecover);
    expect(payloads.every((p) => p?.userErrors.length === 0)).toBe(true);
    const tokens = new Set(payloads.map((p) => p.recovery.cartToken));
    expect(tokens.size).toBe(1);
    const [token] = tokens;
    expect(token).toMatch(/^ct_/);
    const opened = await phone(`{ cart(id: "${cart.id}", cartToken: "${token}") { id } }`);
    expect(opened.body.data?.cart).toEqual({ id: cart.id });
  });

  it('refuses expired, foreign, tampered and garbage tokens', async () => {
    const { gql, id } = await newCustomer(['EMAIL']);
    await cartWithPlan(gql);
    clock.advance(2 * HOUR);
    await runTask();
    const [{ link_token: token }] = await emailsTo(id);
    const recover = (key: string, t: string) =>
      client(stack.router.handler, key)('mutation ($t: String!) { dropLinkRecover(input: { token: $t }) { userErrors { code } } }', { t });
    const code = async (key: string, t: string) => (await recover(key, t)).body.data?.dropLinkRecover.userErrors[0]?.code;
    expect(await code(KEYS.volt, 'garbage')).toBe('INVALID_LINK');
    expect(await code(KEYS.volt, `${token.slice(0, -2)}xx`)).toBe('INVALID_LINK');
    expect(await code(KEYS.nimbus, token)).toBe('INVALID_LINK');
    clock.advance(8 * 24 * HOUR);
    expect(await code(KEYS.volt, token)).toBe('EXPIRED');
  });

  it('two workers at once: one idle cart, exactly one drop link', async () => {
    const { gql } = await newCustomer(['EMAIL']);
    const cart = await cartWithPlan(gql);
    clock.advance(2 * HOUR);
    await Promise.all([runTask(), runTask(), runTask()]);
    expect(await sql('select count(*)::int as n from "cart"."drop_link" where cart_id = ?', [cart.id])).toEqual([{ n: 1 }]);
    expect(
      await sql(
        'select count(*)::int as n from "cart"."reminder" r join "cart"."drop_link" d on d.id = r.drop_link_id where d.cart_id = ? and r.sent_at is not null',
        [cart.id],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('follows the reminder schedule, and stops for customers who opted out', async () => {
    const keen = await newCustomer(['EMAIL']);
    const cart = await cartWithPlan(keen.gql);
    const optedOut = await newCustomer([]);
    await cartWithPlan(optedOut.gql);
    clock.advance(2 * HOUR);
    await runTask();
    const sent = async (customerId: string) => (await emailsTo(customerId)).length;
    expect(await sent(keen.id)).toBe(1);
    clock.advance(23 * HOUR); // the second reminder is due a day after the first
    await runTask();
    expect(await sent(keen.id)).toBe(1);
    clock.advance(2 * HOUR);
    await runTask();
    expect(await sent(keen.id)).toBe(2);
    expect(await sent(optedOut.id)).toBe(0);
    const [stopped] = await sql(
      'select stopped_reason from "cart"."drop_link" d join "cart"."cart" c on c.id = d.cart_id where c.customer_id = ?',
      [optedOut.id],
    );
    expect(stopped.stopped_reason).toBe('OPTED_OUT');

    // Assisted sales: the agent of the customer's segment finds the cart and takes it over.
    const agent = (await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example')).gql;
    const listed = (await agent('{ abandonedCarts(first: 100) { nodes { id } } }')).body.data?.abandonedCarts.nodes.map(
      (n: { id: string }) => n.id,
    );
    expect(listed).toContain(cart.id);
    const business = (await signIn(stack.router.handler, 'staffLogin', 'agent.business@volt.example')).gql;
    expect(
      (await business('{ abandonedCarts(first: 100) { nodes { id } } }')).body.data?.abandonedCarts.nodes.map((n: { id: string }) => n.id),
    ).not.toContain(cart.id);
    const assist = await agent('mutation ($id: ID!) { cartAssist(input: { cartId: $id }) { cart { id } userErrors { code } } }', {
      id: cart.id,
    });
    expect(assist.body.data?.cartAssist).toEqual({ cart: { id: cart.id }, userErrors: [] });
    const history = await agent(`{ customer(id: "${keen.id}") { interactions { nodes { notes } } } }`);
    expect(history.body.data?.customer.interactions.nodes[0].notes).toContain(cart.id);
  });
});

describe('browse abandonment', () => {
  it('a customer who viewed products and added nothing gets a BROWSE link that brings the products back', async () => {
    const { gql, id } = await newCustomer(['EMAIL']);
    const other = productId('volt-sim-20gb');
    for (const p of [PLAN, other, PLAN]) await gql(`mutation { productViewed(input: { productId: "${p}" }) { recorded } }`);
    clock.advance(HOUR); // not idle long enough yet (2 h by default)
    await runTask();
    expect(await emailsTo(id)).toHaveLength(0);
    clock.advance(2 * HOUR);
    await runTask();
    const [{ link_token: token }] = await emailsTo(id);
    const res = await client(stack.router.handler, KEYS.volt)(
      'mutation ($t: String!) { dropLinkRecover(input: { token: $t }) { recovery { kind step cart { id } viewedProducts { id } } userErrors { code } } }',
      { t: token },
    );
    const recovery = res.body.data?.dropLinkRecover.recovery;
    expect(recovery).toMatchObject({ kind: 'BROWSE', step: 'BROWSING', cart: null });
    expect(recovery.viewedProducts.map((p: { id: string }) => p.id).sort()).toEqual([PLAN, other].sort());
  });

  it('anonymous views are not recorded', async () => {
    const res = await client(stack.router.handler, KEYS.volt)(`mutation { productViewed(input: { productId: "${PLAN}" }) { recorded } }`);
    expect(res.body.data?.productViewed).toEqual({ recorded: false });
  });
});
