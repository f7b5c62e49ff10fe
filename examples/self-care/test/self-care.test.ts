import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { checkout, createCart, type OfferFieldsFragment } from '@dcrm/storefront-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { eventually } from '../../../tests/support/live.js';
import { KEYS, productId, signIn, startTestStack, testIp } from '../../../tests/support/stack.js';
import { createSelfCareApp, type SelfCareApp } from '../src/app.js';

let stack: Stack;
let endpoint: string;
const apps: SelfCareApp[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  const server = await stack.router.listen(0, '127.0.0.1');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.dispose()));
  await stack?.stop();
});

/** The app on Volt's storefront key, signed up as a fresh customer (so no other test's data is seen). */
async function freshCustomer(name: string) {
  const app = createSelfCareApp({ endpoint, apiKey: KEYS.volt, headers: { 'x-forwarded-for': testIp() } });
  apps.push(app);
  const email = `self-care-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const signedUp = await app.signUp({ name, email, password: 'fresh-customer-42' });
  if (!signedUp.ok) throw new Error(`signUp: ${JSON.stringify(signedUp.errors)}`);
  return { app, email, id: signedUp.customerId };
}

/** Inbox messages arrive from other subgraphs (reminders, campaigns); the test puts two there directly. */
async function deliverMessages(customerId: string, titles: string[]) {
  const customer = stack.subgraphs.find((s) => s.definition.name === 'customer')!;
  const connection = customer.orm.em.getConnection();
  for (const [i, title] of titles.entries())
    await connection.execute(
      `insert into "customer"."site_message" (id, customer_id, title, body, created_at) values (?, ?, ?, ?, now() - make_interval(mins => ?))`,
      [randomUUID(), customerId, title, `${title}: details inside.`, titles.length - i],
    );
}

describe('self-care app', () => {
  it('signs in and shows the 360° view, orders and messages', async () => {
    const { app, email, id } = await freshCustomer('Self Care Tester');
    expect(await app.account360()).toMatchObject({
      profile: { id, name: 'Self Care Tester', email, type: 'INDIVIDUAL' },
      addresses: [],
      recentOrders: [],
      messages: { unreadCount: 0, latest: [] },
      offers: [],
    });

    // Signing in again (another device) works with the same credentials; a wrong password is a user error.
    const other = createSelfCareApp({ endpoint, apiKey: KEYS.volt, headers: { 'x-forwarded-for': testIp() } });
    apps.push(other);
    expect(await other.signIn(email, 'not-the-password')).toMatchObject({ ok: false, errors: [{ code: expect.any(String) }] });
    expect(await other.signIn(email, 'fresh-customer-42')).toEqual({ ok: true, name: 'Self Care Tester', customerId: id });

    const created = await createCart(app.client, { lines: [{ productId: productId('volt-sim-unlimited') }] });
    const cart = created.data!.cartCreate.cart!;
    const placed = await checkout(app.client, { cart: { cartId: cart.id, version: cart.version } });
    const number = placed.data!.cartCheckout.order!.number;
    expect(await other.orders()).toMatchObject([
      { number, status: 'PLACED', lines: [{ name: 'Volt Unlimited 5G', quantity: 1 }], history: { nodes: [{ status: 'PLACED' }] } },
    ]);

    await deliverMessages(id, ['Welcome aboard', 'Your SIM is on its way']);
    const inbox = await app.messages();
    // The inbox is newest first by id (UUIDv7 in the API); the fixture's ids are random, so order is not asserted.
    expect(inbox.unreadCount).toBe(2);
    expect(inbox.nodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ title: 'Your SIM is on its way', readAt: null }),
        expect.objectContaining({ title: 'Welcome aboard', readAt: null }),
      ]),
    );
    const welcome = inbox.nodes.find((m) => m.title === 'Welcome aboard')!;
    expect(await app.markRead([welcome.id])).toBe(1);
    expect((await app.messages({ unreadOnly: true })).nodes).toMatchObject([{ title: 'Your SIM is on its way' }]);
    expect(await app.account360()).toMatchObject({
      recentOrders: [{ number, status: 'PLACED' }],
      messages: {
        unreadCount: 1,
        latest: expect.arrayContaining([expect.objectContaining({ id: welcome.id, readAt: expect.any(String) })]),
      },
    });

    await app.signOut();
    expect(await app.account360()).toBeNull();
  });

  it('receives an offer an agent makes, live', async () => {
    const { app, id } = await freshCustomer('Live Offer Tester');
    const received: OfferFieldsFragment[] = [];
    const failures: unknown[] = [];
    const stop = app.liveOffers(
      (offer) => received.push(offer),
      (error) => failures.push(error),
    );
    // Delivery is at most once: make the offer only once the router listens for this customer.
    await eventually(() => stack.router.liveStats().subscriptions === 1 || failures.length > 0);
    expect(failures).toEqual([]);

    const staff = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    const made = await staff.gql(
      'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code message } } }',
      {
        input: {
          customerId: id,
          productId: productId('volt-sim-unlimited'),
          template: { title: 'Just for you, {{name}}', message: '{{product}} at half price' },
        },
      },
    );
    const offerId = made.body.data?.offerCreate.offer?.id;
    expect(offerId).toEqual(expect.any(String));

    await eventually(() => received.length > 0);
    expect(received).toMatchObject([
      {
        id: offerId,
        title: 'Just for you, Live Offer Tester',
        message: 'Volt Unlimited 5G at half price',
        product: { slug: 'volt-sim-unlimited' },
        status: 'NEW',
      },
    ]);
    stop();
    expect((await app.account360())?.offers).toMatchObject([{ id: offerId }]);
  });
});
