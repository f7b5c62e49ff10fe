import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCESS_TOKEN_TTL_SECONDS, jwtSecret, principalFromClaims, signAccessToken } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Stack } from '../../stack/src/stack.js';
import { KEYS, productId, signIn, startTestStack, testIp } from '../../tests/support/stack.js';
import * as sdk from '../src/index.js';
import {
  acceptOffer,
  addCartLines,
  applyPromoCode,
  attachCartToCustomer,
  checkout,
  compareProducts,
  createCart,
  createStorefrontClient,
  errorCodes,
  type FetchLike,
  getCart,
  getCategories,
  getLiveOffers,
  getMe,
  getMyOffers,
  getMyOrders,
  getOrder,
  getProduct,
  getProducts,
  getSiteMessages,
  getStorefront,
  isNetworkError,
  markSiteMessagesRead,
  NetworkError,
  newIdempotencyKey,
  type OfferReceivedSubscription,
  onOfferReceived,
  onStorefrontOffer,
  ProductsDocument,
  recordProductView,
  recoverDropLink,
  removePromoCode,
  type Session,
  type StorefrontClient,
  type StorefrontClientOptions,
  type StorefrontOffersSubscription,
  type SubscriptionError,
  updateCartLines,
} from '../src/index.js';
import { retriesWhenUnavailable } from '../src/retry.js';
import { jwtClaims } from '../src/session.js';

let stack: Stack;
let endpoint: string;
const clients: StorefrontClient[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  const server = await stack.router.listen(0, '127.0.0.1');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  for (const s of servers) s.close();
  await stack.stop();
});

/** A Volt shopper's client, with an address of its own (sign-in throttling is per address). */
const shopper = (options: Partial<StorefrontClientOptions> = {}) => {
  const client = createStorefrontClient({
    endpoint,
    apiKey: KEYS.volt,
    webSocketImpl: WebSocket,
    headers: { 'x-forwarded-for': testIp() },
    ...options,
  });
  clients.push(client);
  return client;
};

/** A fresh customer, registered and signed in through the SDK. */
const newCustomer = async (client = shopper()) => {
  const email = `sdk-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const res = await client.auth.register({ name: 'Sam Sdk', email, password: 'sdk-password-42', marketingChannels: ['EMAIL'] });
  expect(res.errors).toBeUndefined();
  expect(res.data?.customerRegister.userErrors).toEqual([]);
  return { client, email, id: res.data?.customerRegister.customer?.id as string };
};

/** A fetch that counts the operations sent, by name. */
const countingFetch = () => {
  const sent: string[] = [];
  const fetchImpl: FetchLike = (url, init) => {
    sent.push(/^(?:query|mutation) (\w+)/.exec(JSON.parse(init.body).query)?.[1] ?? '?');
    return fetch(url, init as RequestInit);
  };
  return { sent, fetchImpl };
};

const eventually = async (check: () => boolean, ms = 10_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** A tiny HTTP server answering from `respond` (status, headers, body), counting requests. */
const fakeServer = async (respond: (n: number) => [number, Record<string, string>, string]) => {
  const times: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      times.push(Date.now());
      const [status, headers, body] = respond(times.length);
      res.writeHead(status, headers).end(body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, times };
};

const manager = () => signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
const makeOffer = async (input: Record<string, unknown>) => {
  const staff = await manager();
  const res = await staff.gql('mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code } } }', {
    input,
  });
  const id = res.body.data?.offerCreate.offer?.id;
  if (!id) throw new Error(`offerCreate failed: ${JSON.stringify(res.body)}`);
  return id as string;
};

const PLAN = productId('volt-sim-unlimited');

/** A promotion of its own: 10.00 off the plan's monthly price with a fresh code. */
const makePromotion = async () => {
  const staff = await manager();
  const code = `SDK${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  const res = await staff.gql('mutation ($input: PromotionCreateInput!) { promotionCreate(input: $input) { userErrors { code field } } }', {
    input: {
      name: `SDK ${code}`,
      couponCode: code,
      conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [PLAN] }],
      actions: [{ type: 'AMOUNT_OFF', amount: '10.00', target: 'RECURRING' }],
    },
  });
  expect(res.body.data?.promotionCreate.userErrors).toEqual([]);
  return code;
};

describe('the ready-made documents', () => {
  it('all pass the router validation (schema, depth and alias limits)', async () => {
    const client = shopper();
    const documents = Object.entries(sdk).filter(([name, value]) => name.endsWith('Document') && /^(query|mutation)/.test(String(value)));
    expect(documents.length).toBeGreaterThan(20);
    for (const [name, document] of documents) {
      // Without variables nothing runs that needs input; an invalid document would fail validation first.
      const result = await client.request(document as typeof ProductsDocument);
      expect({ name, codes: errorCodes(result).filter((c) => c === 'GRAPHQL_VALIDATION_FAILED' || c === 'GRAPHQL_PARSE_FAILED') }).toEqual({
        name,
        codes: [],
      });
    }
  });
});

describe('browse, search, compare', () => {
  it('reads the brand, searches with facets and paging, shows a product and compares two', async () => {
    const client = shopper();
    const brand = await getStorefront(client);
    expect(brand).toEqual({
      data: { storefront: expect.objectContaining({ name: 'Volt Mobile', currencyCode: 'EUR' }) },
      // Every reply carries its query cost and the caller's bucket.
      extensions: { cost: expect.objectContaining({ requestedQueryCost: 2, actualQueryCost: 2 }) },
    });
    expect(brand.data?.storefront?.theme.primaryColor).toMatch(/^#/);

    const page = await getProducts(client, { first: 2, query: 'unlimited', sort: 'RELEVANCE' });
    expect(page.errors).toBeUndefined();
    const products = page.data!.products;
    expect(products.nodes).toHaveLength(2);
    expect(products.totalCount).toBeGreaterThan(2);
    expect(products.facets.kinds.length).toBeGreaterThan(0);
    const next = await getProducts(client, { first: 2, query: 'unlimited', sort: 'RELEVANCE', after: products.pageInfo.endCursor });
    expect(next.data?.products.nodes.map((p) => p.id)).not.toContain(products.nodes[0].id);

    const detail = await getProduct(client, { slug: 'volt-sim-unlimited' });
    expect(detail.data?.product).toMatchObject({ id: PLAN, kind: 'PLAN', price: { amount: { currencyCode: 'EUR' } } });
    expect(detail.data?.product?.compatibleAddons.length).toBeGreaterThan(0);
    expect((await getProduct(client, { id: PLAN })).data?.product?.slug).toBe('volt-sim-unlimited');

    const compared = await compareProducts(client, { ids: [PLAN, productId('volt-sim-20gb')] });
    expect(compared.data?.compareProducts.products.map((p) => p.id)).toEqual([PLAN, productId('volt-sim-20gb')]);
    expect(compared.data?.compareProducts.rows.some((r) => r.differs)).toBe(true);

    const categories = await getCategories(client);
    expect(categories.data?.categories.nodes.length).toBeGreaterThan(0);
  });

  it('the same operation text is sent every time, with the values as variables', async () => {
    const bodies: string[] = [];
    const client = shopper({
      fetch: (url, init) => {
        bodies.push(init.body);
        return fetch(url, init as RequestInit);
      },
    });
    await getProducts(client, { first: 1, query: 'sim' });
    await getProducts(client, { first: 3, query: '5g' });
    const [a, b] = bodies.map((body) => JSON.parse(body));
    expect(a.query).toBe(b.query);
    expect(a.query).toBe(ProductsDocument);
    expect(a.query).not.toContain('sim');
    expect(b.variables).toEqual({ first: 3, query: '5g' });
  });
});

describe('language', () => {
  it('sends the client language as Accept-Language; a function is read per request; a request may override it', async () => {
    let language = 'fr';
    const client = shopper({ language: () => language });
    const id = productId('volt-sim-20gb');
    expect((await getProduct(client, { id })).data?.product?.name).toBe('Volt Flex 5G 20 Go');
    language = 'en';
    expect((await getProduct(client, { id })).data?.product?.name).toBe('Volt Flex 5G 20GB');
    expect((await getProduct(client, { id }, { language: 'fr-CH' })).data?.product?.name).toBe('Volt Flex 5G 20 Go');
  });
});

describe('errors', () => {
  it('returns GraphQL errors, never throws them', async () => {
    const client = shopper();
    const missing = await getProduct(client, { slug: 'no-such-product' });
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
    expect(missing.data).toEqual({ product: null });

    // A validation error is an HTTP 400 with a GraphQL body: still a result.
    const invalid = await client.request('query Broken { products { nope } }' as unknown as typeof ProductsDocument);
    expect(invalid.data).toBeNull();
    expect(errorCodes(invalid)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    // Signed out, `me` is simply null.
    expect((await getMe(client)).data).toEqual({ me: null });
  });

  it('throws NetworkError when nothing answers, or something that is not GraphQL does', async () => {
    const closed = await fakeServer(() => [200, {}, '']);
    await new Promise((r) => servers.pop()?.close(r));
    const unreachable = shopper({ endpoint: closed.url });
    const error = await getStorefront(unreachable).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(isNetworkError(error)).toBe(true);
    expect((error as NetworkError).status).toBeUndefined();

    const proxy = await fakeServer(() => [502, { 'content-type': 'text/html' }, '<h1>Bad gateway</h1>']);
    const html = await getStorefront(shopper({ endpoint: proxy.url })).catch((e: unknown) => e);
    expect(html).toMatchObject({ name: 'NetworkError', status: 502 });
    expect(proxy.times).toHaveLength(1);
  });

  it('aborts on the signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user left'));
    await expect(getStorefront(shopper(), { signal: controller.signal })).rejects.toThrow('user left');
  });
});

describe('429 and 503', () => {
  const body = JSON.stringify({ data: { storefront: { name: 'Retried' } } });

  it('waits the Retry-After the server asks, then succeeds', async () => {
    const server = await fakeServer((n) =>
      n === 1 ? [503, { 'retry-after': '1' }, 'busy'] : [200, { 'content-type': 'application/json' }, body],
    );
    const result = await getStorefront(shopper({ endpoint: server.url }));
    expect(result.data).toEqual({ storefront: { name: 'Retried' } });
    expect(server.times).toHaveLength(2);
    expect(server.times[1] - server.times[0]).toBeGreaterThanOrEqual(950);
  });

  it('backs off without Retry-After, gives up after the attempts and returns a GraphQL THROTTLED body as a result', async () => {
    const throttled = JSON.stringify({ errors: [{ message: 'Slow down', extensions: { code: 'THROTTLED' } }] });
    const server = await fakeServer(() => [429, { 'content-type': 'application/json' }, throttled]);
    const result = await getStorefront(shopper({ endpoint: server.url, retry: { attempts: 2, baseDelayMs: 20 } }));
    expect(errorCodes(result)).toEqual(['THROTTLED']);
    expect(server.times).toHaveLength(3);
  });

  const unavailable = JSON.stringify({
    data: null,
    errors: [{ message: 'Service temporarily unavailable, retry', extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } }],
  });
  const blip = (ok: string) =>
    fakeServer((n) =>
      n === 1
        ? [503, { 'content-type': 'application/json', 'retry-after': '0' }, unavailable]
        : [200, { 'content-type': 'application/json' }, ok],
    );

  it('retries a query answered SERVICE_UNAVAILABLE (503) and a mutation with an idempotency key, never a mutation without one', async () => {
    const query = await blip(body);
    expect((await getStorefront(shopper({ endpoint: query.url }))).data).toEqual({ storefront: { name: 'Retried' } });
    expect(query.times).toHaveLength(2);

    const placed = JSON.stringify({ data: { cartCheckout: { order: null, userErrors: [] } } });
    const keyed = await blip(placed);
    const result = await checkout(shopper({ endpoint: keyed.url }), { cart: { cartId: 'c1', version: 1 } });
    expect(result.errors).toBeUndefined();
    expect(keyed.times).toHaveLength(2);

    const login = await blip(JSON.stringify({ data: { customerLogin: null } }));
    const refused = await shopper({ endpoint: login.url }).auth.login({ email: 'aoife@example.com', password: 'x' });
    expect(errorCodes(refused)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(login.times).toHaveLength(1);
  });

  it('tells mutations from queries by the document, comments and strings aside', () => {
    expect(retriesWhenUnavailable('{ storefront { name } }', {})).toBe(true);
    expect(retriesWhenUnavailable('# mutation in a comment\nquery Q { search(q: "mutation x") { id } }', {})).toBe(true);
    expect(retriesWhenUnavailable('fragment F on Cart { id } mutation M($i: X!) { cartLinesAdd(input: $i) { cart { ...F } } }', {})).toBe(
      false,
    );
    expect(retriesWhenUnavailable('mutation { cartCheckout(input: $i) { order { id } } }', { input: { idempotencyKey: 'k1' } })).toBe(true);
    expect(retriesWhenUnavailable('mutation { cartCheckout(input: $i) { order { id } } }', { input: { idempotencyKey: '' } })).toBe(false);
  });

  it('does not wait longer than the cap: a long Retry-After is answered at once', async () => {
    const server = await fakeServer(() => [503, { 'retry-after': '3600' }, 'maintenance']);
    const error = await getStorefront(shopper({ endpoint: server.url })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NetworkError', status: 503 });
    expect(server.times).toHaveLength(1);
  });
});

describe('sign-in and the account', () => {
  it('login stores the session and sends it; logout ends it on the server', async () => {
    const changes: (Session | null)[] = [];
    const client = shopper({ onSessionChange: (s) => changes.push(s) });
    const wrong = await client.auth.login({ email: 'aoife@example.com', password: 'wrong-password' });
    expect(wrong.data?.customerLogin.userErrors.length).toBeGreaterThan(0);
    expect(await client.auth.session()).toBeNull();

    const login = await client.auth.login({ email: 'aoife@example.com', password: 'dcrm-demo-2026' });
    expect(login.data?.customerLogin.customer?.email).toBe('aoife@example.com');
    const session = await client.auth.session();
    expect(session).toMatchObject({ accessToken: login.data?.customerLogin.accessToken, refreshToken: expect.any(String) });
    expect(session?.expiresAt).toBeGreaterThan(Date.now() + 14 * 60_000);

    const me = await getMe(client);
    expect(me.data?.me).toMatchObject({ email: 'aoife@example.com', addresses: expect.any(Array) });
    expect(me.data?.me?.siteMessages.unreadCount).toBeGreaterThanOrEqual(0);

    const refresh = session?.refreshToken as string;
    const out = await client.auth.logout();
    expect(out?.data?.customerLogout).toEqual({ ok: true, userErrors: [] });
    expect(await client.auth.session()).toBeNull();
    expect(changes.map((s) => s?.accessToken ?? null)).toEqual([session?.accessToken, null]);
    // The old access token no longer works either.
    const stale = shopper({ accessToken: session?.accessToken });
    expect(errorCodes(await getMe(stale))).toEqual(['UNAUTHENTICATED']);
    expect(refresh).toBeTruthy();
  });

  it('renews the token shortly before it expires, once for concurrent requests', async () => {
    let skew = 0;
    const { sent, fetchImpl } = countingFetch();
    const client = shopper({ now: () => Date.now() + skew, fetch: fetchImpl, autoRenew: false });
    const { email } = await newCustomer(client);
    const before = (await client.auth.session()) as Session;

    skew = 14.5 * 60_000; // 30 s before expiry: inside the 60 s margin
    const results = await Promise.all([getMe(client), getMe(client), getMyOrders(client), getSiteMessages(client)]);
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(results[0].data?.me?.email).toBe(email);
    expect(sent.filter((op) => op === 'CustomerAccessTokenRenew')).toHaveLength(1);
    const after = (await client.auth.session()) as Session;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    // Counted from now on this device's (skewed) clock, not the server's.
    expect(after.expiresAt).toBeGreaterThan(Date.now() + skew + 14 * 60_000);

    // The renewed session keeps working; the old refresh token was used exactly once (a reuse would end it).
    expect((await getMe(client)).data?.me?.email).toBe(email);
    expect(sent.filter((op) => op === 'CustomerAccessTokenRenew')).toHaveLength(1);
  });

  it('renews on a timer that does not keep the process alive', async () => {
    const client = shopper({ renewBeforeMs: 15 * 60_000 - 500 });
    await newCustomer(client);
    const first = (await client.auth.session()) as Session;
    const renewed = new Promise<Session | null>((resolve) => client.auth.onChange(resolve));
    expect((await renewed)?.refreshToken).not.toBe(first.refreshToken);
    await client.dispose();
  });

  it('a token the router refuses is renewed and the request sent once more', async () => {
    const { client, email } = await newCustomer();
    const session = (await client.auth.session()) as Session;
    await client.auth.setSession({ ...session, accessToken: 'not-a-valid-token' });
    expect((await getMe(client)).data?.me?.email).toBe(email);
    expect((await client.auth.session())?.accessToken).not.toBe('not-a-valid-token');
  });

  it('a session the server ended is forgotten at the next renewal', async () => {
    const { client } = await newCustomer();
    const session = (await client.auth.session()) as Session;
    // Someone else used the refresh token (reuse ends the session).
    const other = shopper({ tokenStore: { get: () => session, set: () => {} } });
    expect(await other.auth.renew()).toBe(true);
    expect(await client.auth.renew()).toBe(false);
    expect(await client.auth.session()).toBeNull();
  });
});

describe('cart and checkout', () => {
  it('an anonymous cart is built, attached after registration and checked out once per key', async () => {
    const client = shopper();
    const created = await createCart(client, { lines: [{ productId: PLAN }] });
    expect(created.data?.cartCreate.userErrors).toEqual([]);
    const cartToken = created.data?.cartCreate.cartToken as string;
    let cart = created.data!.cartCreate.cart!;
    expect(cartToken).toBeTruthy();

    const addon = (await getProduct(client, { id: PLAN })).data!.product!.compatibleAddons[0];
    const added = await addCartLines(client, {
      cart: { cartId: cart.id, cartToken, version: cart.version },
      lines: [{ productId: addon.id, parentLineId: cart.lines[0].id }],
    });
    expect(added.data?.cartLinesAdd.userErrors).toEqual([]);
    cart = added.data!.cartLinesAdd.cart!;
    expect(cart.lines.map((l) => l.product?.id)).toEqual([PLAN, addon.id]);

    // A stale version is a CONFLICT user error, not an exception.
    const stale = await updateCartLines(client, {
      cart: { cartId: cart.id, cartToken, version: 1 },
      lines: [{ id: cart.lines[0].id, quantity: 2 }],
    });
    expect(stale.data?.cartLinesUpdate.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
    expect((await getCart(client, { id: cart.id, cartToken })).data?.cart?.version).toBe(cart.version);

    await newCustomer(client);
    const attached = await attachCartToCustomer(client, { cartId: cart.id, cartToken });
    expect(attached.data?.cartAttachCustomer.userErrors).toEqual([]);
    cart = attached.data!.cartAttachCustomer.cart!;

    const unknown = await applyPromoCode(client, { cart: { cartId: cart.id, version: cart.version }, code: 'NO-SUCH-CODE' });
    expect(unknown.data?.cartPromoCodeApply.cart).toBeNull();
    expect(unknown.data?.cartPromoCodeApply.userErrors).toHaveLength(1);
    const code = await makePromotion();
    const coded = await applyPromoCode(client, { cart: { cartId: cart.id, version: cart.version }, code: code.toLowerCase() });
    expect(coded.data?.cartPromoCodeApply.userErrors).toEqual([]);
    cart = coded.data!.cartPromoCodeApply.cart!;
    expect(cart.promoCodes).toEqual([code]);
    expect(cart.discounts?.find((d) => d.couponCode === code)?.recurring).toEqual({ amount: '10.00', currencyCode: 'EUR' });
    const removed = await removePromoCode(client, { cart: { cartId: cart.id, version: cart.version }, code });
    cart = removed.data!.cartPromoCodeRemove.cart!;
    expect(cart.promoCodes).toEqual([]);
    cart = (await applyPromoCode(client, { cart: { cartId: cart.id, version: cart.version }, code })).data!.cartPromoCodeApply.cart!;
    expect(cart.totals?.recurringDiscounts.amount).not.toBe('0.00');

    const idempotencyKey = newIdempotencyKey();
    const placed = await checkout(client, { cart: { cartId: cart.id, version: cart.version }, idempotencyKey });
    expect(placed.data?.cartCheckout.userErrors).toEqual([]);
    const order = placed.data!.cartCheckout.order!;
    expect(order).toMatchObject({ status: 'PLACED', number: expect.any(String) });
    expect(order.lines).toHaveLength(2);
    // Retrying with the same key (after a network failure, say) returns the same order.
    const again = await checkout(client, { cart: { cartId: cart.id, version: cart.version }, idempotencyKey });
    expect(again.data?.cartCheckout.order?.id).toBe(order.id);

    expect((await getMyOrders(client)).data?.me?.orders?.nodes.map((o) => o.id)).toEqual([order.id]);
    expect((await getOrder(client, { id: order.id })).data?.order?.history.nodes.map((h) => h.status)).toEqual(['PLACED']);
    expect((await getMe(client)).data?.me?.orders?.nodes.map((o) => o.number)).toEqual([order.number]);
  });

  it('records product views and refuses an unknown drop link as a user error', async () => {
    const { client } = await newCustomer();
    expect((await recordProductView(client, { productId: PLAN })).data?.productViewed).toEqual({ recorded: true, userErrors: [] });
    const recovered = await recoverDropLink(client, { token: 'dl_does-not-exist' });
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data?.dropLinkRecover.recovery).toBeNull();
    expect(recovered.data?.dropLinkRecover.userErrors.length).toBe(1);
  });
});

describe('offers and site messages', () => {
  it('delivers a personal offer live; the customer accepts it', async () => {
    const { client, id } = await newCustomer();
    const received: OfferReceivedSubscription[] = [];
    const errors: SubscriptionError[] = [];
    const before = stack.router.liveStats().subscriptions;
    const stop = onOfferReceived(client, (r) => r.data && received.push(r.data), { onError: (e) => errors.push(e) });
    await eventually(() => stack.router.liveStats().subscriptions === before + 1);

    const offerId = await makeOffer({ customerId: id, productId: PLAN, template: { title: 'Just for {{name}}', message: 'Hi' } });
    await eventually(() => received.length > 0);
    expect(received[0].offerReceived).toMatchObject({ id: offerId, title: 'Just for Sam Sdk', product: { id: PLAN } });
    expect(errors).toEqual([]);

    expect((await getMyOffers(client)).data?.me?.offers?.nodes.map((o) => o.id)).toContain(offerId);
    const accepted = await acceptOffer(client, { id: offerId });
    expect(accepted.data?.offerAccept.offer?.status).toBe('ACCEPTED');
    stop();
    await eventually(() => stack.router.liveStats().subscriptions === before);
  });

  it('delivers public live offers to anonymous shoppers, and refuses personal ones to them', async () => {
    const client = shopper();
    const received: StorefrontOffersSubscription[] = [];
    const before = stack.router.liveStats().subscriptions;
    const stop = onStorefrontOffer(client, (r) => r.data && received.push(r.data));
    await eventually(() => stack.router.liveStats().subscriptions === before + 1);
    const offerId = await makeOffer({ template: { title: `Flash sale ${Math.random()}`, message: 'Today only' } });
    await eventually(() => received.some((r) => r.storefrontOffers.id === offerId));
    expect((await getLiveOffers(client)).data?.storefrontLiveOffers.nodes.map((o) => o.id)).toContain(offerId);
    stop();

    const refused = await new Promise<SubscriptionError>((resolve) => onOfferReceived(client, () => {}, { onError: resolve }));
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('resubscribes after the router closes the socket at token expiry (4401), with a renewed token', async () => {
    const { client, id } = await newCustomer(shopper({ autoRenew: false, renewBeforeMs: 0 }));
    const session = (await client.auth.session()) as Session;
    const claims = jwtClaims(session.accessToken) ?? {};
    const principal = principalFromClaims(claims as never);
    if (!principal) throw new Error('no principal');
    // A token with two seconds left that the client believes good for long: the router ends the socket.
    const short = await signAccessToken(principal, jwtSecret(), String(claims.sid), Date.now() - (ACCESS_TOKEN_TTL_SECONDS - 2) * 1000);
    await client.auth.setSession({ ...session, accessToken: short.token, expiresAt: Date.now() + 3_600_000 });

    const received: string[] = [];
    const errors: SubscriptionError[] = [];
    // Only the router's 4401 makes this client renew (no timer, its clock says the token is good), and the
    // resubscription can follow the close faster than a poll would see the dip: wait for the new token.
    let renewed = false;
    const watch = client.auth.onChange((s) => {
      renewed ||= !!s && s.accessToken !== short.token;
    });
    const before = stack.router.liveStats().subscriptions;
    const stop = onOfferReceived(client, (r) => r.data && received.push(r.data.offerReceived.id), { onError: (e) => errors.push(e) });
    await eventually(() => stack.router.liveStats().subscriptions === before + 1);
    await eventually(() => renewed, 8_000);
    watch();
    await eventually(() => stack.router.liveStats().subscriptions === before + 1);
    expect((await client.auth.session())?.accessToken).not.toBe(short.token);

    const offerId = await makeOffer({ customerId: id, template: { title: 'After renewal', message: 'm' } });
    await eventually(() => received.includes(offerId));
    expect(errors).toEqual([]);
    stop();
  });

  it('reads and marks site messages', async () => {
    const { client } = await newCustomer();
    const inbox = await getSiteMessages(client, { first: 5 });
    expect(inbox.errors).toBeUndefined();
    const unread = inbox.data!.me!.siteMessages;
    const marked = await markSiteMessagesRead(client, { ids: unread.nodes.map((m) => m.id) });
    expect(marked.data?.siteMessagesMarkRead.userErrors).toEqual([]);
    expect(marked.data?.siteMessagesMarkRead.customer?.siteMessages.unreadCount).toBe(0);
  });
});
