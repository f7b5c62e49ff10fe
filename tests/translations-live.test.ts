import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Stack } from '../stack/src/stack.js';
import { createStorefrontClient, onStorefrontOffer } from '../storefront-sdk/src/index.js';
import { connectLive, eventually, type LiveClient, refusalCode, subscribeLive } from './support/live.js';
import { KEYS, productId, signIn, startTestStack } from './support/stack.js';

/**
 * Live offers in the subscriber's language: the socket's `accept-language` connection parameter, else
 * the upgrade request's `Accept-Language`, and a subscription's own `@inContext` over both. Each
 * event's lookup runs in that context, so product names inside the payload arrive translated.
 */
let stack: Stack;
let url: string;
let endpoint: string;
beforeAll(async () => {
  stack = await startTestStack();
  const server = await stack.router.listen(0, '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  url = `ws://127.0.0.1:${port}/graphql`;
  endpoint = `http://127.0.0.1:${port}/graphql`;
});
afterAll(() => stack.stop());

const opened: LiveClient[] = [];
const connect = (params: Record<string, string>, headers?: Record<string, string>) => {
  const live = connectLive(url, params, headers);
  opened.push(live);
  return live;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.dispose()));
  await eventually(() => stack.router.liveStats().subscriptions === 0);
});

const SIM_20 = productId('volt-sim-20gb'); // the seed translates it into French
const FRENCH = 'Volt Flex 5G 20 Go';
const ENGLISH = 'Volt Flex 5G 20GB';
const OFFERS = 'subscription { storefrontOffers { id product { name } } }';
const tag = () => Math.random().toString(36).slice(2, 8);

async function publicOffer(): Promise<string> {
  const staff = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
  const res = await staff.gql('mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code } } }', {
    input: { productId: SIM_20, template: { title: `Live i18n ${tag()}`, message: 'm' } },
  });
  const id = res.body.data?.offerCreate.offer?.id;
  if (!id) throw new Error(`offerCreate failed: ${JSON.stringify(res.body)}`);
  return id as string;
}

describe('live offers in the subscriber language', () => {
  it('connection parameter, upgrade header and @inContext each pick the language; none gives the stored text', async () => {
    const key = { 'x-api-key': KEYS.volt };
    const subs = {
      param: subscribeLive(connect({ ...key, 'accept-language': 'fr' }), OFFERS),
      header: subscribeLive(connect(key, { 'accept-language': 'fr-CH, en;q=0.5' }), OFFERS),
      directive: subscribeLive(connect(key), `subscription @inContext(language: "fr") { storefrontOffers { id product { name } } }`),
      overridden: subscribeLive(
        connect({ ...key, 'accept-language': 'fr' }),
        `subscription ($lang: String) @inContext(language: $lang) { storefrontOffers { id product { name } } }`,
        { lang: 'en' },
      ),
      plain: subscribeLive(connect(key), OFFERS),
    };
    await eventually(() => stack.router.liveStats().subscriptions === 5);
    const offer = await publicOffer();
    const nameFor = async (sub: (typeof subs)[keyof typeof subs]) => {
      await sub.until(() => sub.ids('storefrontOffers').includes(offer));
      return sub.results.find((r) => r.data?.storefrontOffers.id === offer)?.data?.storefrontOffers.product.name;
    };
    expect(await nameFor(subs.param)).toBe(FRENCH);
    expect(await nameFor(subs.header)).toBe(FRENCH);
    expect(await nameFor(subs.directive)).toBe(FRENCH);
    expect(await nameFor(subs.overridden)).toBe(ENGLISH);
    expect(await nameFor(subs.plain)).toBe(ENGLISH);
  });

  it('refuses a malformed @inContext on a subscription with BAD_USER_INPUT', async () => {
    const sub = subscribeLive(
      connect({ 'x-api-key': KEYS.volt }),
      'subscription @inContext(language: "not a language") { storefrontOffers { id } }',
    );
    await sub.until(() => sub.completed);
    expect(refusalCode(sub)).toBe('BAD_USER_INPUT');
  });

  it("the SDK's language option reaches live offers, and a switch reopens the socket in the new language", async () => {
    let language = 'fr';
    const client = createStorefrontClient({ endpoint, apiKey: KEYS.volt, webSocketImpl: WebSocket, language: () => language });
    try {
      const names = new Map<string, string | undefined>();
      const stop = onStorefrontOffer(client, (r) => {
        const offer = r.data?.storefrontOffers;
        if (offer) names.set(offer.id, offer.product?.name);
      });
      await eventually(() => stack.router.liveStats().subscriptions === 1);
      const first = await publicOffer();
      await eventually(() => names.has(first));
      expect(names.get(first)).toBe(FRENCH);

      // The switcher changes the language; the next request reopens the socket in it.
      language = 'en';
      await client.request('query { storefront { name } }');
      // An offer published while the socket reopens is missed (events are at most once): probe until one arrives in English.
      await eventually(async () => {
        const probe = await publicOffer();
        for (let i = 0; i < 50 && !names.has(probe); i++) await new Promise((resolve) => setTimeout(resolve, 40));
        return names.get(probe) === ENGLISH;
      });
      stop();
    } finally {
      await client.dispose();
    }
  });
});
