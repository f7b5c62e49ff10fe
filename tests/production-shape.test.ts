import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cartSubgraph } from '@dcrm/cart';
import { catalogSubgraph } from '@dcrm/catalog';
import { customerSubgraph } from '@dcrm/customer';
import {
  type BootedSubgraph,
  bootSubgraph,
  createDatabaseIfMissing,
  dropDatabase,
  httpTarget,
  inProcessTarget,
  internalSecret,
  PRINCIPAL_HEADER,
  signPrincipal,
  withDatabase,
} from '@dcrm/kit';
import { opportunitySubgraph } from '@dcrm/opportunity';
import { promotionSubgraph } from '@dcrm/promotion';
import { quoteSubgraph } from '@dcrm/quote';
import { loadSupergraph } from '@dcrm/schema';
import { ticketSubgraph } from '@dcrm/ticket';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRouter, type Router } from '../router/src/router.js';
import { type Served, served, serveProcesses, stopProcesses } from './support/processes.js';
import { has, parseExposition, total } from './support/prometheus.js';
import { client, codes, KEYS } from './support/stack.js';

/** Router and subgraphs as separate servers talking HTTP over real sockets, as in production. */
let booted: BootedSubgraph[] = [];
let router: Router;
const urls = new Map<string, string>();
let catalogUrl: string;
let customerUrl: string;

async function serve(subgraph: BootedSubgraph): Promise<string> {
  const server = await subgraph.server.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const secret = internalSecret();
  // Peers over HTTP too, found by name once every subgraph listens.
  const peers = (name: string) => httpTarget(name, `${urls.get(name)}/graphql`, secret);
  const options = { databaseUrl: inject('databaseUrl'), secret, migrate: false, poolSize: 4, peers };
  booted = [
    await bootSubgraph(catalogSubgraph, options),
    await bootSubgraph(customerSubgraph, options),
    await bootSubgraph(cartSubgraph, options),
    await bootSubgraph(promotionSubgraph, options),
    await bootSubgraph(opportunitySubgraph, options),
    await bootSubgraph(ticketSubgraph, options),
    await bootSubgraph(quoteSubgraph, options),
  ];
  for (const subgraph of booted) urls.set(subgraph.definition.name, await serve(subgraph));
  catalogUrl = urls.get('catalog') as string;
  customerUrl = urls.get('customer') as string;
  router = await createRouter({
    supergraphSdl: loadSupergraph(),
    targets: booted.map((b) => peers(b.definition.name)),
    exposeSqlCount: true,
  });
});
afterAll(async () => {
  await router.stop();
  for (const subgraph of booted) {
    await subgraph.server.stop();
    await subgraph.orm.close();
  }
});

describe('production shape', () => {
  it('serves the storefront through the router over HTTP, counting SQL across the hop', async () => {
    const res = await client(
      router.handler,
      KEYS.nimbus,
    )('{ storefront { slug currencyCode } products(first: 5) { nodes { name price { amount { currencyCode } } } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.storefront).toEqual({ slug: 'nimbus', currencyCode: 'GBP' });
    expect(res.body.data?.products.nodes).toHaveLength(5);
    expect(res.statements).toBeGreaterThan(0);
  });

  it('the subgraph port refuses requests without the router signature, _entities and _service included', async () => {
    const entities = '{ _entities(representations: [{ __typename: "Storefront", id: "x" }]) { __typename } }';
    for (const query of ['{ _service { sdl } }', entities, '{ products { nodes { id } } }']) {
      const unsigned = await request(catalogUrl).post('/graphql').set('content-type', 'application/json').send({ query });
      expect(unsigned.status).toBe(401);
      const forged = signPrincipal(
        { kind: 'service', id: 'evil', storefrontId: null, partnerId: null, roles: [], scopes: ['*'] },
        'z'.repeat(48),
        { audience: 'catalog', body: { query } },
      );
      const wrongKey = await request(catalogUrl)
        .post('/graphql')
        .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: forged })
        .send({ query });
      expect(wrongKey.status).toBe(401);
      expect(wrongKey.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('each process serves its own /metrics: a subgraph its requests and pool, the router no subgraph registry', async () => {
    const catalogMetrics = async () => {
      const res = await request(catalogUrl).get('/metrics');
      expect(res.status).toBe(200);
      return parseExposition(res.text);
    };
    const served = { subgraph: 'catalog', operation: 'ShapeMetrics', outcome: 'success' };
    const before = total(await catalogMetrics(), 'dcrm_subgraph_requests_total', served);
    expect((await client(router.handler, KEYS.volt)('query ShapeMetrics { storefront { slug } }')).body.errors).toBeUndefined();
    const after = await catalogMetrics();
    expect(total(after, 'dcrm_subgraph_requests_total', served) - before).toBe(1);
    expect(total(after, 'dcrm_db_pool_max', { subgraph: 'catalog' })).toBe(4);
    expect(has(after, 'dcrm_subgraph_requests_total', { subgraph: 'cart' })).toBe(false);
    expect(has(after, 'process_resident_memory_bytes')).toBe(true);
    const routerSide = parseExposition((await request(router.handler).get('/metrics')).text);
    expect(total(routerSide, 'dcrm_requests_total', { operation: 'ShapeMetrics', outcome: 'success' })).toBe(1);
    expect(total(routerSide, 'dcrm_subgraph_fetch_duration_seconds_count', { subgraph: 'catalog' })).toBeGreaterThan(0);
    expect(has(routerSide, 'dcrm_subgraph_requests_total')).toBe(false);
  });

  it('the router cannot be used to reach @inaccessible internals', async () => {
    const res = await client(router.handler, KEYS.volt)(`{ apiKeyVerify(key: "${KEYS.nimbus}") { storefrontId } }`);
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('readiness', () => {
  it('a subgraph fails its readiness when its database is down; the router stays ready and reports it', async () => {
    const url = inject('databaseUrl');
    const admin = withDatabase(url, 'postgres');
    const name = `${new URL(url).pathname.slice(1)}_outage`;
    await createDatabaseIfMissing(admin, name);
    const secret = internalSecret();
    const doomed = await bootSubgraph(catalogSubgraph, { databaseUrl: withDatabase(url, name), secret, poolSize: 2 });
    const outageRouter = await createRouter({
      supergraphSdl: loadSupergraph(),
      targets: [
        inProcessTarget(doomed.server),
        httpTarget('customer', `${customerUrl}/graphql`, secret),
        httpTarget('cart', `${urls.get('cart')}/graphql`, secret),
        httpTarget('promotion', `${urls.get('promotion')}/graphql`, secret),
        httpTarget('opportunity', `${urls.get('opportunity')}/graphql`, secret),
        httpTarget('ticket', `${urls.get('ticket')}/graphql`, secret),
        httpTarget('quote', `${urls.get('quote')}/graphql`, secret),
      ],
    });
    try {
      expect((await request(outageRouter.handler).get('/readyz')).status).toBe(200);
      await dropDatabase(admin, name);
      expect((await request(doomed.server.handler).get('/readyz')).status).toBe(503);
      const ready = await request(outageRouter.handler).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.subgraphs).toEqual({
        catalog: false,
        customer: true,
        cart: true,
        promotion: true,
        opportunity: true,
        ticket: true,
        quote: true,
      });
      expect((await request(outageRouter.handler).get('/healthz')).status).toBe(200);
      const query = await client(outageRouter.handler, KEYS.volt)('{ storefront { name } }');
      expect(query.body.data?.storefront ?? null).toBeNull();
      expect(codes(query)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(JSON.stringify(query.body)).not.toMatch(/does not exist|database|postgres/i);
    } finally {
      await outageRouter.stop();
      await doomed.server.stop();
      await doomed.orm.close().catch(() => {});
      await dropDatabase(admin, name).catch(() => {});
    }
  });
});

describe('the compiled build, started as in production', { timeout: 300_000 }, () => {
  // `pnpm build` output run by `stack/bin/serve` with NODE_ENV=production: plain Node on dist/. CI builds
  // before the tests; a checkout without a build gets one here (a stale build is not rebuilt).
  let children: Served[] = [];

  beforeAll(async () => {
    if (!existsSync('stack/dist/src/cli/dcrm.js')) expect(spawnSync('stack/bin/build', { stdio: 'inherit' }).status).toBe(0);
    children = await serveProcesses('stack/bin/serve', { DATABASE_URL: inject('databaseUrl') });
  });
  afterAll(() => stopProcesses(children));

  it('each process is Node running dist/ (no tsx, no pnpm, no child process)', () => {
    for (const { child } of children) {
      const command = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').join(' ');
      expect(command).toMatch(/--conditions=compiled \S+stack\/dist\/src\/cli\/dcrm\.js serve/);
      expect(command).not.toMatch(/tsx|pnpm/);
      const threads = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
      expect(threads).toBe('');
    }
  });

  it('serves the storefront through the router, every subgraph ready', async () => {
    const router = served(children, 'router');
    const ready = (await (await fetch(`${router.base}/readyz`)).json()) as { subgraphs: Record<string, boolean> };
    expect(ready.subgraphs).toEqual({
      catalog: true,
      customer: true,
      cart: true,
      promotion: true,
      opportunity: true,
      ticket: true,
      quote: true,
    });
    const res = await client(router.base, KEYS.nimbus)('{ storefront { slug currencyCode } products(first: 3) { nodes { name } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.storefront).toEqual({ slug: 'nimbus', currencyCode: 'GBP' });
    expect(res.body.data?.products.nodes).toHaveLength(3);
  });

  it('a subgraph of the build refuses unsigned requests', async () => {
    const unsigned = await request(served(children, 'catalog').base)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: '{ _service { sdl } }' });
    expect(unsigned.status).toBe(401);
  });
});
