import type { AddressInfo } from 'node:net';
import { checkout, createStorefrontClient, getCart, getMe, type TypedDocumentString } from '@dcrm/storefront-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { PRIVATE_KEYS, registerCustomer, signIn, startTestStack, testIp } from '../../../tests/support/stack.js';
import { type Bot, createBot } from '../src/bot.js';
import { createWebhook } from '../src/webhook.js';

let stack: Stack;
let endpoint: string;
let bot: Bot;
const ip = testIp();

beforeAll(async () => {
  stack = await startTestStack();
  const server = await stack.router.listen(0, '127.0.0.1');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  // The chatbot's private key, from an address of its own (logins are throttled per address).
  bot = createBot({ client: { endpoint, apiKey: PRIVATE_KEYS.voltChatbot, headers: { 'x-forwarded-for': ip } } });
});
afterAll(async () => {
  await bot?.close();
  await stack?.stop();
});

const MY_CARTS = 'query { me { carts { nodes { id version } } } }' as TypedDocumentString<
  { me: { carts: { nodes: { id: string; version: number }[] } } },
  Record<string, never>
>;
const session = () => `test-${Math.random().toString(36).slice(2, 10)}`;

describe('shopping', () => {
  it('finds plans under a price with at least some data, cheapest first', async () => {
    const reply = await bot.reply(session(), 'plans under 30 with 50GB');
    expect(reply.text).toMatch(/^\d+ plans at most 30 with at least 50GB:/);
    expect(reply.text).toContain('Volt Flex 5G 50GB: €19.99/month, 50GB');
    expect(reply.text).toContain('Volt Flex 5G 100GB');
    expect(reply.text).toContain('Volt Unlimited 5G: €29.99/month, unlimited data');
    // Too little data, or too dear.
    expect(reply.text).not.toContain('Volt Flex 5G 20GB');
    expect(reply.text).not.toContain('Volt Unlimited 5G Max');
    expect(reply.text.indexOf('Volt Flex 5G 50GB')).toBeLessThan(reply.text.indexOf('Volt Unlimited 5G:'));
    expect(reply.suggestions?.[0]).toMatch(/^add .+ to my cart$/);
  });

  it('says so when nothing fits', async () => {
    const reply = await bot.reply(session(), 'plans under 5 with 100GB');
    expect(reply.text).toMatch(/^No plans at most 5 with at least 100GB/);
  });

  it('compares products named loosely', async () => {
    const reply = await bot.reply(session(), 'compare unlimted and the 50GB plan');
    expect(reply.text).toContain('Volt Unlimited 5G (€29.99/month) vs Volt Flex 5G 50GB (€19.99/month)');
    expect(reply.text).toMatch(/\* Data: Unlimited \| 50\n/);
    const unknown = await bot.reply(session(), 'compare unlimited and a pony');
    expect(unknown.text).toBe('I couldn\'t find "pony" in the catalog.');
  });

  it('fills a cart across messages and shows it', async () => {
    const id = session();
    expect((await bot.reply(id, "what's in my cart")).text).toBe('Your cart is empty.');
    expect((await bot.reply(id, 'add eu roaming plus')).text).toBe('EU Roaming Plus is an add-on: add a plan first.');
    expect((await bot.reply(id, 'add Volt Flex 5G 50GB to my cart')).text).toMatch(/^Added Volt Flex 5G 50GB\./);
    expect((await bot.reply(id, 'add eu roaming plus')).text).toMatch(/^Added EU Roaming Plus\./);
    const cart = await bot.reply(id, "what's in my cart");
    expect(cart.text).toContain('1 × Volt Flex 5G 50GB €19.99/month');
    expect(cart.text).toContain('1 × EU Roaming Plus');
    // Another conversation has its own cart.
    expect((await bot.reply(session(), 'show my basket')).text).toBe('Your cart is empty.');
  });

  it('answers what it does not understand with help', async () => {
    const reply = await bot.reply(session(), 'tell me a joke');
    expect(reply).toMatchObject({ text: expect.stringContaining('help'), suggestions: expect.arrayContaining(['my offers']) });
  });
});

describe('signed in', () => {
  it('asks to sign in for offers and orders, identifies a caller with the chatbot key', async () => {
    const id = session();
    expect((await bot.reply(id, 'my offers')).text).toMatch(/Sign in first/);
    expect((await bot.reply(id, 'where is my order')).text).toMatch(/Sign in first/);
    expect((await bot.reply(id, 'my number is +353871000001')).text).toMatch(/^Thanks, Aoife Byrne\./);
    // A made-up identity: failed sign-ins count per identity, and Aoife is shared with other test files.
    expect((await bot.reply(id, `login nobody-${id}@example.com wrong-password`)).text).toMatch(/^I couldn't sign you in/);
  });

  it('signs in, keeps the cart, lists offers and tracks an order', async () => {
    const customer = await registerCustomer(stack.router.handler, undefined, { name: 'Chatbot Shopper', prefix: 'chatbot' });
    const id = session();
    await bot.reply(id, 'add Volt Unlimited 5G to my cart');
    const signedIn = await bot.reply(id, `login ${customer.email} fresh-customer-42`);
    expect(signedIn.text).toBe("Hi Chatbot Shopper, you're signed in.");
    // The anonymous cart became the customer's.
    expect((await bot.reply(id, "what's in my cart")).text).toContain('1 × Volt Unlimited 5G');
    expect((await bot.reply(id, "where's my order")).text).toBe("You haven't placed any orders yet.");
    expect((await bot.reply(id, 'my offers')).text).toBe('No offers for you right now. Check back soon!');

    // An agent makes an offer; the customer checks out on the web.
    const staff = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    const offer = await staff.gql(
      'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code message } } }',
      { input: { customerId: customer.id, template: { title: 'Loyalty treat', message: 'A month on us' } } },
    );
    expect(offer.body.data?.offerCreate).toMatchObject({ offer: { id: expect.any(String) }, userErrors: [] });
    expect((await bot.reply(id, 'any deals for me?')).text).toContain('• Loyalty treat: A month on us');

    const web = createStorefrontClient({ endpoint, apiKey: PRIVATE_KEYS.voltChatbot, accessToken: customer.accessToken });
    const me = await getMe(web);
    expect(me.data?.me).toMatchObject({ id: customer.id });
    const carts = await web.request(MY_CARTS, {});
    const cart = carts.data!.me.carts.nodes[0];
    expect((await getCart(web, { id: cart.id })).data?.cart?.lines).toMatchObject([{ name: 'Volt Unlimited 5G' }]);
    const placed = await checkout(web, { cart: { cartId: cart.id, version: cart.version } });
    const order = placed.data?.cartCheckout.order;
    expect(order).toMatchObject({ status: 'PLACED', number: expect.stringMatching(/^DC-\d{4}-\d{6}$/) });

    await staff.gql('mutation ($input: OrderStatusUpdateInput!) { orderStatusUpdate(input: $input) { order { status } } }', {
      input: { id: order!.id, status: 'PROVISIONING' },
    });
    const status = await bot.reply(id, `where is my order ${order!.number}?`);
    expect(status.text).toMatch(new RegExp(`^Order ${order!.number} is PROVISIONING\\.\\n.* PLACED\\n.* PROVISIONING$`));
    expect((await bot.reply(id, "where's my order")).text).toMatch(new RegExp(`^Order ${order!.number} is PROVISIONING`));
    expect((await bot.reply(id, 'status of DC-1999-000001')).text).toBe("I can't find order DC-1999-000001 on your account.");
    expect((await bot.reply(id, 'logout')).text).toBe('Signed out. Bye for now!');
    expect((await bot.reply(id, 'my offers')).text).toMatch(/Sign in first/);
    await web.dispose();
  });
});

describe('webhook', () => {
  let url: string;
  let closeServer: () => Promise<void>;
  beforeAll(async () => {
    const server = createWebhook(bot, () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
    closeServer = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => closeServer());

  const post = async (body: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, body: await res.json() };
  };

  it('answers { sessionId, text } with { reply }', async () => {
    const id = session();
    expect(await post(JSON.stringify({ sessionId: id, text: 'add volt flex 5g 20gb' }))).toMatchObject({
      status: 200,
      body: { reply: { text: expect.stringMatching(/^Added Volt Flex 5G 20GB/) } },
    });
    expect(await post(JSON.stringify({ sessionId: id, text: 'cart?' }))).toMatchObject({
      status: 200,
      body: { reply: { text: expect.stringContaining('1 × Volt Flex 5G 20GB') } },
    });
  });

  it('refuses bad input with 400 and hides faults', async () => {
    expect(await post('{not json')).toEqual({ status: 400, body: { error: 'Body is not valid JSON' } });
    expect(await post(JSON.stringify({ text: 'hi' }))).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('sessionId') },
    });
    expect(await post(JSON.stringify({ sessionId: 'x', text: 42 }))).toMatchObject({ status: 400 });
    expect((await fetch(url)).status).toBe(405);

    const broken = createWebhook(
      {
        reply: async () => {
          throw new Error('secret detail at /srv/app.ts:42');
        },
        close: async () => {},
      },
      () => {},
    );
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(broken.address() as AddressInfo).port}/webhook`, {
      method: 'POST',
      body: JSON.stringify({ sessionId: 'x', text: 'hi' }),
    });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 500, body: { error: 'Internal error' } });
    await new Promise((resolve) => broken.close(resolve));
  });
});
