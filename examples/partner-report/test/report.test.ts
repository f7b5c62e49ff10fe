import type { AddressInfo } from 'node:net';
import { checkout, createCart, createStorefrontClient, type StorefrontClient } from '@dcrm/storefront-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { customerId, DEMO_PASSWORD, KEYS, PRIVATE_KEYS, productId, startTestStack, testIp } from '../../../tests/support/stack.js';
import { formatReport, partnerReport, probeAccount } from '../src/report.js';

let stack: Stack;
let endpoint: string;
let partner: StorefrontClient;

beforeAll(async () => {
  stack = await startTestStack();
  const server = await stack.router.listen(0, '127.0.0.1');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  partner = createStorefrontClient({ endpoint, apiKey: PRIVATE_KEYS.connectifyPartner });
});
afterAll(async () => {
  await partner?.dispose();
  await stack?.stop();
});

/** Kelly Plumbing (a Connectify account) orders a plan on Volt's storefront, signed in with the SDK. */
async function kellyOrders(): Promise<string> {
  const shop = createStorefrontClient({ endpoint, apiKey: KEYS.volt, headers: { 'x-forwarded-for': testIp() } });
  try {
    const login = await shop.auth.login({ email: 'office@kellyplumbing.example', password: DEMO_PASSWORD });
    expect(login.data?.customerLogin).toMatchObject({ customer: { name: 'Kelly Plumbing' }, userErrors: [] });
    const created = await createCart(shop, { lines: [{ productId: productId('volt-sim-50gb') }] });
    const cart = created.data!.cartCreate.cart!;
    const placed = await checkout(shop, { cart: { cartId: cart.id, version: cart.version } });
    return placed.data!.cartCheckout.order!.number;
  } finally {
    await shop.dispose();
  }
}

describe('partner report', () => {
  it("lists the partner's own accounts with their orders, and no one else's", async () => {
    const number = await kellyOrders();
    // A page size of 1 walks the customers connection page by page.
    const accounts = await partnerReport(partner, { pageSize: 1 });

    // Other tests may open accounts for the partner too: its seeded ones are there, and every account is its own.
    expect(accounts.map((a) => a.id)).toEqual(expect.arrayContaining([customerId('connectify-one'), customerId('connectify-two')]));
    expect(accounts.every((a) => a.partner?.name === 'Connectify Resellers')).toBe(true);
    expect(accounts.find((a) => a.name === 'Kelly Plumbing')).toMatchObject({
      type: 'BUSINESS',
      orders: expect.arrayContaining([expect.objectContaining({ number, status: 'PLACED' })]),
    });
    expect(accounts.map((a) => a.name)).not.toContain('Sean Murphy');

    const table = formatReport(accounts);
    expect(table).toContain('Kelly Plumbing');
    expect(table).toContain(number);
    expect(table).toMatch(/Niamh Kelly\s+INDIVIDUAL\s+ACTIVE/);
    expect(table).not.toContain('Sean Murphy');
  });

  it("gets NOT_FOUND for another partner's account, and sees its own", async () => {
    expect(await probeAccount(partner, customerId('skyline-one'))).toEqual({ visible: false, code: 'NOT_FOUND' });
    expect(await probeAccount(partner, customerId('aoife'))).toEqual({ visible: false, code: 'NOT_FOUND' });
    expect(await probeAccount(partner, customerId('connectify-one'))).toEqual({
      visible: true,
      name: 'Niamh Kelly',
      partner: 'Connectify Resellers',
    });
  });
});
