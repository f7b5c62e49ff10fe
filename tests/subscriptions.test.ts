import type { AddressInfo } from 'node:net';
import { ACCESS_TOKEN_TTL_SECONDS, inProcessTarget, jwtSecret, offerChannels, principalFromClaims, signAccessToken } from '@dcrm/kit';
import { loadSupergraph } from '@dcrm/schema';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../router/src/router.js';
import type { Stack } from '../stack/src/stack.js';
import { connectLive, eventually, type LiveClient, type LiveSubscription, refusalCode, subscribeLive } from './support/live.js';
import { KEYS, productId, registerCustomer, STOREFRONT_IDS, signIn, startTestStack } from './support/stack.js';

let stack: Stack;
let url: string;
beforeAll(async () => {
  stack = await startTestStack();
  const server = await stack.router.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => stack.stop());

// Every test closes its sockets; the next starts from an idle router, so counts below are this test's own.
const opened: LiveClient[] = [];
const connect = (params?: Record<string, string>) => {
  const live = connectLive(url, params);
  opened.push(live);
  return live;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.dispose()));
  await eventually(() => stack.router.liveStats().sockets === 0 && stack.router.liveStats().subscriptions === 0);
});
const listening = (n: number) => eventually(() => stack.router.liveStats().subscriptions === n);

const PLAN = productId('volt-sim-unlimited');
const CREATE =
  'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id title } userErrors { code field message } } }';
const manager = () => signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const tag = () => Math.random().toString(36).slice(2, 8);

async function makeOffer(staff: Awaited<ReturnType<typeof manager>>, input: Record<string, unknown>): Promise<string> {
  const res = await staff.gql(CREATE, { input });
  const payload = res.body.data?.offerCreate;
  if (!payload?.offer) throw new Error(`offerCreate failed: ${JSON.stringify(res.body)}`);
  return payload.offer.id as string;
}

// A client's selection as written: an alias, a fragment, a variable and a field of another subgraph.
const PERSONAL = `subscription Mine($first: Int) {
  mine: offerReceived { ...Bits product { name slug offers(first: $first) { nodes { id } } } }
}
fragment Bits on Offer { id title source couponCode }`;
const PUBLIC = 'subscription { storefrontOffers { id title source product { name } } }';

describe('offerReceived', () => {
  it("delivers the customer's own offer with catalog fields; another customer never receives it, even when its id is published on their channel", async () => {
    const staff = await manager();
    const a = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Live Alice', prefix: 'live' });
    const b = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Live Bob', prefix: 'live' });
    const subA = subscribeLive(connect(bearer(a.accessToken)), PERSONAL, { first: 3 });
    const subB = subscribeLive(connect(bearer(b.accessToken)), PERSONAL, { first: 3 });
    await listening(2);

    const title = `For {{name}} ${tag()}`;
    const forA = await makeOffer(staff, { customerId: a.id, productId: PLAN, template: { title, message: 'Try {{product}}' } });
    await subA.until(() => subA.ids('mine').includes(forA));
    expect(subA.results.find((r) => r.data?.mine.id === forA)).toEqual({
      data: {
        mine: {
          id: forA,
          title: title.replace('{{name}}', 'Live Alice'),
          source: 'AGENT',
          couponCode: null,
          product: { name: expect.any(String), slug: 'volt-sim-unlimited', offers: { nodes: expect.arrayContaining([{ id: forA }]) } },
        },
      },
    });

    // A's offer id on B's channel: looked up as B, not visible, nothing delivered. B's own offer comes after it, in order.
    await stack.bus.publish(offerChannels.customer(b.id), { offerId: forA });
    const forB = await makeOffer(staff, { customerId: b.id, template: { title: `For B ${tag()}`, message: 'm' } });
    await subB.until(() => subB.ids('mine').includes(forB));
    expect(subB.ids('mine')).not.toContain(forA);
    expect(subA.ids('mine')).not.toContain(forB);
    expect(subB.results.every((r) => !r.errors)).toBe(true);
  });

  it('makes an offer from three product views (the real-time rule) and delivers it live', async () => {
    const a = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Live Viewer', prefix: 'live' });
    const sub = subscribeLive(connect(bearer(a.accessToken)), 'subscription { offerReceived { id source title product { id name } } }');
    await listening(1);
    const viewed = 'mutation ($input: ProductViewedInput!) { productViewed(input: $input) { userErrors { code } } }';
    for (let i = 0; i < 3; i++) expect((await a.gql(viewed, { input: { productId: PLAN } })).body.errors).toBeUndefined();
    await sub.until(() => sub.results.some((r) => r.data?.offerReceived.source === 'REAL_TIME'));
    const offer = sub.results.find((r) => r.data?.offerReceived.source === 'REAL_TIME')?.data?.offerReceived;
    expect(offer).toMatchObject({ source: 'REAL_TIME', product: { id: PLAN, name: expect.any(String) } });
    expect(offer.title).toContain(offer.product.name);
  });

  it('refuses personal offers to a key-only shopper (UNAUTHENTICATED) and to staff (FORBIDDEN); the socket stays usable', async () => {
    const shopper = connect({ 'x-api-key': KEYS.volt });
    const refused = subscribeLive(shopper, 'subscription { offerReceived { id } }');
    await refused.until(() => refused.completed);
    expect(refusalCode(refused)).toBe('UNAUTHENTICATED');

    const staff = await manager();
    const asStaff = subscribeLive(connect(bearer(staff.accessToken)), 'subscription { offerReceived { id } }');
    await asStaff.until(() => asStaff.completed);
    expect(refusalCode(asStaff)).toBe('FORBIDDEN');

    const query = subscribeLive(shopper, '{ storefront { name } }');
    await query.until(() => query.completed);
    expect(refusalCode(query)).toBe('BAD_REQUEST');
    const invalid = subscribeLive(shopper, 'subscription { storefrontOffers { id password } }');
    await invalid.until(() => invalid.completed);
    expect(refusalCode(invalid)).toBe('GRAPHQL_VALIDATION_FAILED');
    const two = subscribeLive(shopper, 'subscription { storefrontOffers @include(if: true) { id } }');
    await two.until(() => two.completed);
    expect(refusalCode(two)).toBe('BAD_REQUEST');

    // Still connected: a storefront subscription on the same socket works.
    subscribeLive(shopper, PUBLIC);
    await listening(1);
    expect(stack.router.liveStats().sockets).toBe(2);
  });

  it('allows 20 subscriptions per socket and refuses the 21st (THROTTLED)', async () => {
    const shopper = connect({ 'x-api-key': KEYS.volt });
    for (let i = 0; i < 20; i++) subscribeLive(shopper, PUBLIC);
    await listening(20);
    const extra = subscribeLive(shopper, PUBLIC);
    await extra.until(() => extra.completed);
    expect(refusalCode(extra)).toBe('THROTTLED');
  });
});

describe('storefrontOffers', () => {
  it("delivers a brand's public offer to that brand's shoppers only", async () => {
    const volt = subscribeLive(connect({ 'x-api-key': KEYS.volt }), PUBLIC);
    const nimbus = subscribeLive(connect({ 'x-api-key': KEYS.nimbus }), PUBLIC);
    await listening(2);
    const voltOffer = await makeOffer(await manager(), { productId: PLAN, template: { title: `Volt live ${tag()}`, message: 'm' } });
    await volt.until(() => volt.ids('storefrontOffers').includes(voltOffer));
    expect(volt.results.find((r) => r.data?.storefrontOffers.id === voltOffer)?.data?.storefrontOffers).toMatchObject({
      source: 'STOREFRONT',
      product: { name: expect.any(String) },
    });

    // The Volt offer's id published on Nimbus's channel is not visible to a Nimbus shopper; Nimbus's own offer is.
    await stack.bus.publish(offerChannels.storefront(STOREFRONT_IDS.nimbus), { offerId: voltOffer });
    const nimbusStaff = await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example');
    const nimbusOffer = await makeOffer(nimbusStaff, { template: { title: `Nimbus live ${tag()}`, message: 'm' } });
    await nimbus.until(() => nimbus.ids('storefrontOffers').includes(nimbusOffer));
    expect(nimbus.ids('storefrontOffers')).not.toContain(voltOffer);
    expect(volt.ids('storefrontOffers')).not.toContain(nimbusOffer);
  });
});

// Every field of a public offer a storefront subscriber may read, and the product promotion refers to.
const OFFER_FIELDS =
  '__typename id source title message content link imageUrl couponCode score status createdAt expiresAt product { __typename id name }';

/** The router's fetches from promotion so far (its metrics). */
async function promotionFetches(): Promise<number> {
  const text = (await request(stack.router.handler).get('/metrics')).text;
  return Number(text.match(/dcrm_subgraph_fetch_duration_seconds_count\{subgraph="promotion"\} (\d+)/)?.[1] ?? 0);
}

describe('storefrontOffers from the event', () => {
  it("delivers a public offer's fields from its event, as promotion answers them, without fetching the offer per event", async () => {
    const staff = await manager();
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'live-event' });
    const input = () => ({ productId: PLAN, score: 12.5, template: { title: `Event ${tag()}`, message: 'm' } });
    // What making an offer costs in promotion fetches, with nobody listening.
    const idle = await promotionFetches();
    await makeOffer(staff, input());
    const making = (await promotionFetches()) - idle;

    const query = `subscription { storefrontOffers { ${OFFER_FIELDS} } }`;
    const subs = [subscribeLive(connect(bearer(customer.accessToken)), query), subscribeLive(connect({ 'x-api-key': KEYS.volt }), query)];
    await listening(2);
    const before = await promotionFetches();
    const id = await makeOffer(staff, input());
    const got = await Promise.all(
      subs.map(async (sub) => {
        await sub.until(() => sub.ids('storefrontOffers').includes(id));
        return sub.results.find((r) => r.data?.storefrontOffers.id === id);
      }),
    );
    // Two pricing contexts (a customer, a key-only shopper), and still no promotion fetch beyond making the offer.
    expect((await promotionFetches()) - before).toBe(making);
    const asked = await request(stack.router.handler)
      .post('/graphql')
      .set('x-api-key', KEYS.volt)
      .send({ query: `query ($id: ID!) { offer(id: $id) { ${OFFER_FIELDS} } }`, variables: { id } });
    expect(asked.body.errors).toBeUndefined();
    expect(asked.body.data.offer).toMatchObject({ id, status: 'NEW', product: { __typename: 'Product', id: PLAN } });
    for (const result of got) expect(result).toEqual({ data: { storefrontOffers: asked.body.data.offer } });
  });

  it("a brand's offer with its fields on another brand's channel is not delivered there", async () => {
    const nimbus = subscribeLive(connect({ 'x-api-key': KEYS.nimbus }), `subscription { storefrontOffers { ${OFFER_FIELDS} } }`);
    await listening(1);
    const staff = await manager();
    const voltOffer = await makeOffer(staff, { productId: PLAN, template: { title: `Volt event ${tag()}`, message: 'm' } });
    const row = await request(stack.router.handler)
      .post('/graphql')
      .set('x-api-key', KEYS.volt)
      .send({ query: `query ($id: ID!) { offer(id: $id) { ${OFFER_FIELDS} } }`, variables: { id: voltOffer } });
    const { __typename: _t, product, ...fields } = row.body.data.offer;
    const offer = { ...fields, storefrontId: STOREFRONT_IDS.volt, productId: product.id };
    await stack.bus.publish(offerChannels.storefront(STOREFRONT_IDS.nimbus), { offerId: voltOffer, offer });
    const nimbusStaff = await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example');
    const nimbusOffer = await makeOffer(nimbusStaff, { template: { title: `Nimbus event ${tag()}`, message: 'm' } });
    await nimbus.until(() => nimbus.ids('storefrontOffers').includes(nimbusOffer));
    expect(nimbus.ids('storefrontOffers')).not.toContain(voltOffer);
    expect(nimbus.results.every((r) => !r.errors)).toBe(true);
  });
});

describe('authentication at connect', () => {
  it('closes with 4401 without credentials, with an unknown key, an expired or a tampered token', async () => {
    expect((await connect().closed).code).toBe(4401);
    expect((await connect({ 'x-api-key': 'dcrm_pk_nope' }).closed).code).toBe(4401);

    const a = await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt);
    const claims = decodeJwt(a.accessToken);
    const principal = principalFromClaims(claims);
    if (!principal) throw new Error('no principal in the access token');
    const longAgo = Date.now() - 2 * ACCESS_TOKEN_TTL_SECONDS * 1000;
    const expired = await signAccessToken(principal, jwtSecret(), String(claims.sid), longAgo);
    expect(await connect(bearer(expired.token)).closed).toMatchObject({ code: 4401, reason: 'Invalid or expired access token' });

    const [header, , signature] = a.accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    expect((await connect(bearer(`${header}.${forged}.${signature}`)).closed).code).toBe(4401);
  });

  it("closes a customer's socket with 4401 when the access token expires while connected", async () => {
    const a = await signIn(stack.router.handler, 'customerLogin', 'conor@example.com', KEYS.volt);
    const claims = decodeJwt(a.accessToken);
    const principal = principalFromClaims(claims);
    if (!principal) throw new Error('no principal in the access token');
    // Issued so that it has about two seconds left.
    const issued = Date.now() - (ACCESS_TOKEN_TTL_SECONDS - 2) * 1000;
    const short = await signAccessToken(principal, jwtSecret(), String(claims.sid), issued);
    const live = connect(bearer(short.token));
    subscribeLive(live, 'subscription { offerReceived { id } }');
    await listening(1);
    expect(await live.closed).toEqual({ code: 4401, reason: 'Access token expired' });
    await eventually(() => stack.router.liveStats().subscriptions === 0);
  });

  it('closes the sockets of a session with 4401 at logout', async () => {
    const a = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'live' });
    const live = connect(bearer(a.accessToken));
    subscribeLive(live, 'subscription { offerReceived { id } }');
    await listening(1);
    const out = await a.gql('mutation ($input: TokenRenewInput!) { customerLogout(input: $input) { ok } }', {
      input: { refreshToken: a.refreshToken },
    });
    expect(out.body.data?.customerLogout.ok).toBe(true);
    expect(await live.closed).toEqual({ code: 4401, reason: 'Session ended' });
  });
});

describe('ending', () => {
  it('a subscription that ends leaves the bus: the router counts none', async () => {
    const live = connect({ 'x-api-key': KEYS.volt });
    const sub: LiveSubscription = subscribeLive(live, PUBLIC);
    await listening(1);
    sub.dispose();
    await listening(0);
    expect(stack.router.liveStats().sockets).toBe(1);
  });

  it('router.stop() closes open sockets (1001) and ends their subscriptions', async () => {
    const second = await createRouter({
      supergraphSdl: loadSupergraph(),
      targets: stack.subgraphs.map((s) => inProcessTarget(s.server)),
      bus: stack.bus,
    });
    const server = await second.listen(0, '127.0.0.1');
    const live = connectLive(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, { 'x-api-key': KEYS.volt });
    subscribeLive(live, PUBLIC);
    await eventually(() => second.liveStats().subscriptions === 1);
    await second.stop();
    expect((await live.closed).code).toBe(1001);
    expect(second.liveStats()).toMatchObject({ sockets: 0, subscriptions: 0 });
  });
});
