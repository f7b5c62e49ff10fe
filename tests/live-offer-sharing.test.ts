import { jwtSecret, principalFromClaims, signAccessToken } from '@dcrm/kit';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { eventually, type LiveSubscription, liveStack, subscribeLive } from './support/live.js';
import { KEYS, productId, registerCustomer, STOREFRONT_IDS, signIn } from './support/stack.js';

/**
 * Public live offers are looked up once per pricing context, not once per subscriber: subscribers in
 * the same context share one gateway execution (the router's `lookups` count), subscribers in another
 * context (business account → ex-tax, a negotiated price list, a key-only shopper) get their own payload.
 */
const live = liveStack();

const PLAN = productId('volt-sim-unlimited');
const PUBLIC = `subscription { storefrontOffers { id title product { name
  price { amount { amount } displayAmount { amount } priceList { id scope } } } } }`;
const tag = () => Math.random().toString(36).slice(2, 8);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const manager = () => signIn(live.stack.router.handler, 'staffLogin', 'manager@volt.example');

function subscribe(params: Record<string, string>, query = PUBLIC): LiveSubscription {
  return subscribeLive(live.connect(params), query);
}

/** A Volt customer whose token says segment `smb` (a business account: shown prices without tax). */
async function businessToken(): Promise<string> {
  const account = await registerCustomer(live.stack.router.handler, KEYS.volt, { prefix: 'share-biz' });
  const claims = decodeJwt(account.accessToken);
  const principal = principalFromClaims(claims);
  if (!principal) throw new Error('no principal in the access token');
  const { token } = await signAccessToken({ ...principal, roles: ['segment:smb'] }, jwtSecret(), String(claims.sid));
  return token;
}

async function negotiate(staff: Awaited<ReturnType<typeof manager>>, customerId: string, amount: string): Promise<string> {
  const list = await staff.gql(
    'mutation ($input: PriceListCreateInput!) { priceListCreate(input: $input) { priceList { id } userErrors { code } } }',
    { input: { storefrontId: STOREFRONT_IDS.volt, name: `Live ${amount} ${tag()}`, customerId } },
  );
  const listId = list.body.data?.priceListCreate.priceList?.id as string;
  expect(listId).toBeTruthy();
  const price = await staff.gql('mutation ($input: PriceSetInput!) { priceSet(input: $input) { userErrors { code } } }', {
    input: { priceListId: listId, productId: PLAN, type: 'RECURRING', amount, interval: 'MONTH' },
  });
  expect(price.body.data?.priceSet.userErrors).toEqual([]);
  return listId;
}

async function publicOffer(staff: Awaited<ReturnType<typeof manager>>): Promise<string> {
  const res = await staff.gql('mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code } } }', {
    input: { productId: PLAN, template: { title: `Shared ${tag()}`, message: 'm' } },
  });
  const id = res.body.data?.offerCreate.offer?.id as string;
  if (!id) throw new Error(`offerCreate failed: ${JSON.stringify(res.body)}`);
  return id;
}

type Price = { amount: { amount: string }; displayAmount: { amount: string }; priceList: { id: string; scope: string } };
const delivered = async (sub: LiveSubscription, offerId: string) => {
  await sub.until(() => sub.ids('storefrontOffers').includes(offerId));
  const result = sub.results.find((r) => r.data?.storefrontOffers.id === offerId);
  expect(result?.errors).toBeUndefined();
  return result?.data?.storefrontOffers as { id: string; title: string; product: { name: string; price: Price } };
};

describe('public live offers shared by pricing context', () => {
  it('one gateway execution per context; consumers share a payload, a business account, a negotiated list and a shopper get their own', async () => {
    const staff = await manager();
    const [c1, c2, late, nego] = await Promise.all(
      [0, 1, 2, 3].map(() => registerCustomer(live.stack.router.handler, KEYS.volt, { prefix: 'share' })),
    );
    const negoList = await negotiate(staff, nego.id, '1.23');
    const subs = {
      c1: subscribe(bearer(c1.accessToken)),
      c2: subscribe(bearer(c2.accessToken)),
      late: subscribe(bearer(late.accessToken)),
      nego: subscribe(bearer(nego.accessToken)),
      business: subscribe(bearer(await businessToken())),
      shopper: subscribe({ 'x-api-key': KEYS.volt }),
      // Selects the viewer's own offers about the product: looked up as the subscriber.
      own: subscribe(bearer(c1.accessToken), 'subscription { storefrontOffers { id title product { offers { nodes { id } } } } }'),
    };
    await eventually(() => live.stack.router.liveStats().subscriptions === Object.keys(subs).length);

    const before = live.stack.router.liveStats().lookups;
    const first = await publicOffer(staff);
    const got = Object.fromEntries(await Promise.all(Object.entries(subs).map(async ([k, s]) => [k, await delivered(s, first)])));
    // Consumers (c1, c2, late) · business · negotiated · shopper · the per-viewer selection.
    expect(live.stack.router.liveStats().lookups - before).toBe(5);
    // Each distinct result is serialised once and written to every socket sharing it: the router's record of the event.
    const recorded = () => live.stack.router.liveStats().timing?.events.find((e) => e.key === first);
    await eventually(() => recorded() !== undefined);
    expect(recorded()).toMatchObject({ payloads: 5, deliveries: Object.keys(subs).length });

    expect(got.c2).toEqual(got.c1);
    expect(got.late).toEqual(got.c1);
    const consumer = got.c1.product.price;
    expect(consumer.priceList.scope).not.toBe('ACCOUNT');
    expect(Number(consumer.displayAmount.amount)).toBeGreaterThan(Number(consumer.amount.amount)); // with VAT
    const business = got.business.product.price;
    expect(business.displayAmount).toEqual(business.amount); // shown ex-tax
    expect(got.nego.product.price).toMatchObject({ amount: { amount: '1.23' }, priceList: { id: negoList, scope: 'ACCOUNT' } });
    expect(got.shopper.product.price.priceList.scope).toBe('STOREFRONT');

    // `late` gets a negotiated list while subscribed: catalog's event makes its next offer its own.
    const lateList = await negotiate(staff, late.id, '2.34');
    const secondBefore = live.stack.router.liveStats().lookups;
    const second = await publicOffer(staff);
    const again = Object.fromEntries(await Promise.all(Object.entries(subs).map(async ([k, s]) => [k, await delivered(s, second)])));
    expect(again.late.product.price).toMatchObject({ amount: { amount: '2.34' }, priceList: { id: lateList, scope: 'ACCOUNT' } });
    expect(again.c1.product.price).toEqual(consumer);
    expect(again.c2).toEqual(again.c1);
    expect(live.stack.router.liveStats().lookups - secondBefore).toBe(6);
  });
});
