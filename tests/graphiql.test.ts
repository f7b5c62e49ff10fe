import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { freePort, inProcessTarget } from '@dcrm/kit';
import { GRAPHIQL_CSP, graphiqlEnabled } from '@dcrm/router/graphiql.js';
import { createRouter, type Router } from '@dcrm/router/router.js';
import { loadSupergraph } from '@dcrm/schema';
import { type Browser, chromium } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { KEYS, startTestStack } from './support/stack.js';

// GraphiQL must work on an air-gapped install: the browser reaches nothing but the router.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`GraphiQL browser check skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

// Everything not on 127.0.0.1 goes to a proxy that is not there, and names do not resolve.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=127.0.0.1',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

const QUERY = 'query Brand { storefront { name } }';
const CDN = /unpkg\.com|jsdelivr|esm\.sh|cdnjs|googleapis|gstatic|apollographql\.com|embeddable-sandbox/i;

let stack: Stack;
const routers: Router[] = [];
const routerWith = async (options: Partial<Parameters<typeof createRouter>[0]>) => {
  const router = await createRouter({
    supergraphSdl: loadSupergraph(),
    targets: stack.subgraphs.map((s) => inProcessTarget(s.server)),
    bus: stack.bus,
    ...options,
  });
  routers.push(router);
  return router;
};

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  for (const router of routers) await router.stop();
  await stack?.stop();
});

/** The page's asset URLs, as the page names them. */
const assetPaths = (html: string) => [...html.matchAll(/(?:href|src)="(graphql\/assets\/[^"]+)"/g)].map((m) => `/${m[1]}`);

describe('GraphiQL over HTTP', () => {
  it('is a page for a browser, with a self-only policy; assets carry their types and are cached for good', async () => {
    const page = await request(stack.router.handler).get('/graphql').set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toBe(GRAPHIQL_CSP);
    expect(GRAPHIQL_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(page.text).not.toMatch(/https?:\/\//);

    const paths = assetPaths(page.text);
    expect(paths.map((p) => p.split('/').pop())).toEqual(['graphiql.css', 'boot.js', 'graphiql.js']);
    const tag = paths[0].split('/')[3];
    const workers = ['editor.worker.js', 'json.worker.js', 'graphql.worker.js'].map((name) => `/graphql/assets/${tag}/${name}`);
    for (const path of [...paths, ...workers]) {
      const asset = await request(stack.router.handler).get(path).buffer(true);
      expect(asset.status, path).toBe(200);
      expect(asset.headers['content-type'], path).toMatch(path.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(asset.headers['cache-control'], path).toBe('public, max-age=31536000, immutable');
      // No CDN in what is served (a URL in a licence comment or an error text is not a request).
      const text = String(asset.text ?? asset.body);
      expect(text.match(CDN), path).toBeNull();
      expect(text.match(/@import\s+url\(\s*["']?https?:|url\(\s*["']?https?:/), path).toBeNull();
    }

    // The client unzips: the text is the stylesheet again.
    const zipped = await request(stack.router.handler).get(paths[0]).set('accept-encoding', 'gzip');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.text).toMatch(/\.graphiql-container/);

    expect((await request(stack.router.handler).get(`/graphql/assets/${tag}/../package.json`)).status).toBe(404);
    expect((await request(stack.router.handler).get('/graphql/assets/0000/graphiql.js')).status).toBe(404);
    // An API client's GET is still GraphQL.
    const get = await request(stack.router.handler).get('/graphql').query({ query: '{ __typename }' }).set('apollo-require-preflight', '1');
    expect(get.body).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('is off in production unless DCRM_GRAPHIQL=on, and never falls back to a CDN page', async () => {
    expect(graphiqlEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(graphiqlEnabled({ NODE_ENV: 'production', DCRM_GRAPHIQL: 'on' })).toBe(true);
    expect(graphiqlEnabled({ NODE_ENV: 'development' })).toBe(true);

    const off = await routerWith({ graphiql: false });
    const page = await request(off.handler).get('/graphql').set('accept', 'text/html');
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/plain/);
    expect(page.text).not.toMatch(/<html|https?:/i);
    expect((await request(off.handler).get('/graphql/assets/x/graphiql.js')).status).toBe(404);

    // Production with DCRM_GRAPHIQL=on: the page, with no key in it.
    const saved = { NODE_ENV: process.env.NODE_ENV, DCRM_GRAPHIQL: process.env.DCRM_GRAPHIQL };
    try {
      Object.assign(process.env, { NODE_ENV: 'production', DCRM_GRAPHIQL: 'off' });
      const closed = await routerWith({ introspection: true });
      expect((await request(closed.handler).get('/graphql').set('accept', 'text/html')).status).toBe(404);
      process.env.DCRM_GRAPHIQL = 'on';
      const opened = await routerWith({ introspection: true });
      const shown = await request(opened.handler).get('/graphql').set('accept', 'text/html');
      expect(shown.status).toBe(200);
      expect(shown.text).not.toMatch(/x-api-key|dcrm_pk_/);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe.skipIf(!hasChromium)(
  `GraphiQL in headless Chromium with the network off${hasChromium ? '' : ' (skipped)'}`,
  { timeout: 90_000 },
  () => {
    let browser: Browser;
    let server: Server;
    let base: string;
    let live: Router;

    beforeAll(async () => {
      const router = await routerWith({ graphiql: { headers: { 'x-api-key': KEYS.volt }, defaultQuery: QUERY } });
      live = router;
      const port = await freePort();
      server = await router.listen(port, '127.0.0.1');
      base = `http://127.0.0.1:${port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });
    afterAll(async () => {
      await browser?.close();
      server?.close();
    });

    it('loads from the router alone, runs the pre-filled query with the demo key and shows data', async () => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const attempted: string[] = [];
      const offsite = (url: string) => !/^(https?|wss?):\/\/127\.0\.0\.1[:/]/.test(url) && !/^(data|blob|about):/.test(url);
      await context.route(
        (url) => offsite(url.href),
        (route) => {
          attempted.push(route.request().url());
          return route.abort();
        },
      );
      const local: string[] = [];
      context.on('request', (r) => {
        if (offsite(r.url())) attempted.push(r.url());
        else local.push(new URL(r.url()).pathname);
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });

      await page.goto(`${base}/graphql`);
      await page.locator('.graphiql-container .graphiql-query-editor').waitFor();
      await page.locator('.graphiql-execute-button').click();
      const response = page.locator('.graphiql-response');
      // Monaco draws spaces as no-break spaces.
      await expect
        .poll(async () => (await response.textContent())?.replace(/\u00a0/g, ' '), { timeout: 30_000 })
        .toMatch(/"data"[\s\S]*"name": "Volt Mobile"/);
      // Monaco's workers came from the router too, and the policy let them run.
      await expect.poll(() => local.filter((path) => path.endsWith('.worker.js')).length).toBeGreaterThan(0);

      expect(attempted).toEqual([]);
      expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
      // The page's policy refuses a CDN by itself; and the guard sees what a page without it tries.
      expect(await page.evaluate<string>("fetch('https://unpkg.com/graphiql').then(() => 'loaded', () => 'refused')")).toBe('refused');
      expect(
        await (await context.newPage()).goto('https://unpkg.com/graphiql').then(
          () => 'loaded',
          () => 'refused',
        ),
      ).toBe('refused');
      expect([...new Set(attempted)]).toEqual(['https://unpkg.com/graphiql']);
      await context.close();
    });

    it('subscribes over graphql-ws on the same path, with the pre-filled key', async () => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      // GraphiQL takes its query from the URL, as it keeps it while one edits.
      await page.goto(`${base}/graphql?query=${encodeURIComponent('subscription Live { storefrontOffers { id } }')}`);
      await page.locator('.graphiql-container .graphiql-query-editor').waitFor();
      await page.locator('.graphiql-execute-button').click();
      await expect.poll(() => live.liveStats(), { timeout: 30_000 }).toMatchObject({ sockets: 1, subscriptions: 1 });
      await context.close();
      await expect.poll(() => live.liveStats().sockets).toBe(0);
    });
  },
);
