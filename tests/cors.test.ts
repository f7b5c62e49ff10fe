import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, internalSecret, PRINCIPAL_HEADER, type Principal, signPrincipal } from '@dcrm/kit';
import { type Browser, chromium } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { KEYS, STOREFRONT_IDS, type signIn, startWithManager } from './support/stack.js';

/**
 * CORS on `/graphql`, through the router: preflights answered for the origins storefronts list and
 * for `DCRM_CORS_ORIGINS`, actual answers for the request's own brand, a staff change reaching the
 * router by the bus; and a real page in headless Chromium, on another origin, calling the API.
 */
const DEV_SERVER = 'http://localhost:5173'; // the demo brands' seeded origin (the storefront example)
const OPS = 'https://ops.example.net'; // allowed for every brand by the environment
const UNKNOWN = 'https://elsewhere.example';
const VOLT_SHOP = `https://volt-shop-${Math.random().toString(36).slice(2, 8)}.example`;
const SET_ORIGINS = `mutation ($input: StorefrontOriginsSetInput!) {
  storefrontOriginsSet(input: $input) { storefront { allowedOrigins } userErrors { code field } } }`;

let stack: Stack;
let allowedPagePort: number;
const savedEnv = process.env.DCRM_CORS_ORIGINS;
type Manager = Awaited<ReturnType<typeof signIn>>['gql'];
let voltManager: Manager;

beforeAll(async () => {
  allowedPagePort = await freePort();
  // The router reads the environment once, at start.
  process.env.DCRM_CORS_ORIGINS = `${OPS}, http://127.0.0.1:${allowedPagePort}`;
  ({ stack, manager: voltManager } = await startWithManager());
});
afterAll(async () => {
  await stack?.stop();
  if (savedEnv === undefined) delete process.env.DCRM_CORS_ORIGINS;
  else process.env.DCRM_CORS_ORIGINS = savedEnv;
});

const preflight = (origin?: string) => {
  const req = request(stack.router.handler).options('/graphql').set('access-control-request-method', 'POST');
  if (origin) req.set({ origin, 'access-control-request-headers': 'content-type, x-api-key' });
  return req;
};
const post = (origin: string, key: string, query = '{ storefront { name } }') =>
  request(stack.router.handler).post('/graphql').set({ origin, 'content-type': 'application/json', 'x-api-key': key }).send({ query });

describe('preflight', () => {
  it('allows a seeded storefront origin: exact origin, methods, headers, max age, no credentials', async () => {
    const res = await preflight(DEV_SERVER);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(DEV_SERVER);
    expect(res.headers.vary).toBe('Origin');
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
    const allowed = String(res.headers['access-control-allow-headers']).split(', ');
    for (const header of ['content-type', 'authorization', 'x-api-key', 'x-request-id', 'traceparent', 'apollo-require-preflight'])
      expect(allowed).toContain(header);
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('allows an origin of DCRM_CORS_ORIGINS', async () => {
    const res = await preflight(OPS);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(OPS);
  });

  it('answers an unknown origin 204 without allow headers, and a bare OPTIONS 204 (never 400)', async () => {
    const unknown = await preflight(UNKNOWN);
    expect(unknown.status).toBe(204);
    expect(unknown.headers['access-control-allow-origin']).toBeUndefined();
    expect(unknown.headers['access-control-allow-methods']).toBeUndefined();
    // An origin differs by scheme and port too.
    expect((await preflight('https://localhost:5173')).headers['access-control-allow-origin']).toBeUndefined();
    const bare = await preflight();
    expect(bare.status).toBe(204);
    expect(bare.headers.allow).toBe('GET, POST, OPTIONS');
  });
});

describe('actual requests', () => {
  it("echoes an allowed origin on the answer for that brand's key", async () => {
    const res = await post(DEV_SERVER, KEYS.volt);
    expect(res.status).toBe(200);
    expect(res.body.data.storefront.name).toBe('Volt Mobile');
    expect(res.headers['access-control-allow-origin']).toBe(DEV_SERVER);
    expect(res.headers.vary).toBe('Origin');
    expect((await post(OPS, KEYS.nimbus)).headers['access-control-allow-origin']).toBe(OPS);
  });

  it('gives an origin not allowed no CORS headers (the browser hides the answer)', async () => {
    const res = await post(UNKNOWN, KEYS.volt);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers.vary).toBe('Origin');
  });

  it('lets an allowed page read why its key was refused', async () => {
    const res = await post(DEV_SERVER, 'dcrm_pk_not_a_key');
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.headers['access-control-allow-origin']).toBe(DEV_SERVER);
  });

  it("keeps Apollo's CSRF prevention: a simple cross-origin request is refused", async () => {
    const res = await request(stack.router.handler)
      .post('/graphql')
      .set({ origin: DEV_SERVER, 'content-type': 'text/plain', 'x-api-key': KEYS.volt })
      .send(JSON.stringify({ query: '{ storefront { name } }' }));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/CSRF/i);
    const get = await request(stack.router.handler).get('/graphql?query=%7B__typename%7D').set({ origin: DEV_SERVER });
    expect(get.status).toBe(400);
  });
});

describe('storefront origins', () => {
  it("are read by the brand's staff only; clients cannot name the router's list", async () => {
    const own = await voltManager('{ storefront { allowedOrigins } }');
    expect(own.body.data?.storefront.allowedOrigins).toContain(DEV_SERVER);
    // Staff-only: not in the storefront's schema view, so a shopper cannot even name it.
    const shopper = await post(DEV_SERVER, KEYS.volt, '{ storefront { name allowedOrigins } }');
    expect(shopper.body.data).toBeUndefined();
    expect(shopper.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const internal = await post(DEV_SERVER, KEYS.volt, '{ storefrontOrigins { origins } }');
    expect(internal.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('the router-only list needs its service scope, even straight at the catalog subgraph', async () => {
    const catalog = stack.subgraphs.find((s) => s.definition.name === 'catalog')?.server.handler as Parameters<typeof request>[0];
    const body = { query: '{ storefrontOrigins { storefrontId origins } }' };
    const admin: Principal = { kind: 'staff', id: 'x', storefrontId: STOREFRONT_IDS.volt, partnerId: null, roles: [], scopes: ['*'] };
    const res = await request(catalog)
      .post('/graphql')
      .set({
        'content-type': 'application/json',
        [PRINCIPAL_HEADER]: signPrincipal(admin, internalSecret(), { audience: 'catalog', body }),
      })
      .send(body);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses what is not an exact origin, with a userError per entry', async () => {
    const res = await voltManager(SET_ORIGINS, {
      input: { storefrontId: STOREFRONT_IDS.volt, origins: ['https://ok.example', 'https://shop.example/app', '*', 'https://*.example'] },
    });
    expect(res.body.data?.storefrontOriginsSet).toEqual({
      storefront: null,
      userErrors: [1, 2, 3].map((i) => ({ code: 'INVALID', field: ['input', 'origins', String(i)] })),
    });
  });

  it('a new origin works at once (the bus tells the router), for its own brand only', async () => {
    const before = (await voltManager('{ storefront { allowedOrigins } }')).body.data?.storefront.allowedOrigins as string[];
    expect((await preflight(VOLT_SHOP)).headers['access-control-allow-origin']).toBeUndefined();
    try {
      const set = await voltManager(SET_ORIGINS, {
        input: { storefrontId: STOREFRONT_IDS.volt, origins: [...before, VOLT_SHOP.toUpperCase()] },
      });
      expect(set.body.data?.storefrontOriginsSet).toEqual({ storefront: { allowedOrigins: [...before, VOLT_SHOP] }, userErrors: [] });
      // Well within the cache's 30 s: the change arrived by the bus (at once in memory, a hop over Redis).
      await vi.waitFor(async () => expect((await preflight(VOLT_SHOP)).headers['access-control-allow-origin']).toBe(VOLT_SHOP), {
        timeout: 5_000,
      });
      expect((await post(VOLT_SHOP, KEYS.volt)).headers['access-control-allow-origin']).toBe(VOLT_SHOP);
      expect((await post(VOLT_SHOP, KEYS.nimbus)).headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await voltManager(SET_ORIGINS, { input: { storefrontId: STOREFRONT_IDS.volt, origins: before } });
    }
    await vi.waitFor(async () => expect((await preflight(VOLT_SHOP)).headers['access-control-allow-origin']).toBeUndefined(), {
      timeout: 5_000,
    });
  });
});

// Debian's Chromium, as examples/storefront-web's test drives it (playwright-core, no download).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

/** A page that calls the API with fetch and a storefront key, and shows what it got (or the error). */
const page = (api: string) => `<!doctype html><title>cors</title><output id="result">…</output><script>
fetch(${JSON.stringify(api)}, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-api-key': ${JSON.stringify(KEYS.volt)} },
  body: JSON.stringify({ query: '{ storefront { name } }' }),
})
  .then((r) => r.json())
  .then((body) => { result.textContent = 'ok: ' + body.data.storefront.name; })
  .catch((error) => { result.textContent = 'failed: ' + error.name; });
</script>`;

describe.skipIf(!hasChromium)(`a browser page on another origin${hasChromium ? '' : ` (skipped: no ${CHROMIUM})`}`, () => {
  let api: Server;
  const sites: Server[] = [];
  let browser: Browser;
  let apiUrl: string;

  const serve = async (port: number): Promise<string> => {
    const site = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page(apiUrl)));
    sites.push(site);
    await new Promise<void>((resolve) => site.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${port}/`;
  };

  beforeAll(async () => {
    api = await stack.router.listen(0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/graphql`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    for (const site of sites) await new Promise((resolve) => site.close(resolve));
  });

  const resultOf = async (url: string): Promise<string> => {
    const tab = await browser.newPage();
    try {
      await tab.goto(url);
      const result = tab.locator('#result');
      await result.filter({ hasText: /^(ok|failed):/ }).waitFor();
      return (await result.textContent()) ?? '';
    } finally {
      await tab.close();
    }
  };

  it('calls the API from an allowed origin (preflight, then the answer)', async () => {
    expect(await resultOf(await serve(allowedPagePort))).toBe('ok: Volt Mobile');
  });

  it('is blocked from an origin not allowed', async () => {
    expect(await resultOf(await serve(await freePort()))).toBe('failed: TypeError');
  });
});
