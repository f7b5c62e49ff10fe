import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { connectLive, eventually, subscribeLive } from './support/live.js';
import { has, parseExposition, type Sample, total } from './support/prometheus.js';
import { client, codes, KEYS, productId, signIn, startTestStack } from './support/stack.js';

let stack: Stack;
let wsUrl: string;
beforeAll(async () => {
  stack = await startTestStack();
  const server = await stack.router.listen(0, '127.0.0.1');
  wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => stack.stop());

const scrape = async (): Promise<Sample[]> => {
  const res = await request(stack.router.handler).get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  return parseExposition(res.text);
};

const STOREFRONT = 'query MetricsStorefront { storefront { slug } }';
const CAMPAIGNS = 'query MetricsCampaigns { campaigns { nodes { id } } }';
const N = 3;
const M = 2;
const K = 4;

describe('/metrics', () => {
  it('counts known traffic per operation and outcome, with a histogram count per request', async () => {
    const shopper = client(stack.router.handler, KEYS.volt);
    for (let i = 0; i < N; i++) expect((await shopper(STOREFRONT)).body.errors).toBeUndefined();
    // A care agent has no promotion scope: the operation runs and fails with FORBIDDEN.
    const agent = await signIn(stack.router.handler, 'staffLogin', 'agent.consumer@volt.example');
    for (let i = 0; i < M; i++) expect(codes(await agent.gql(CAMPAIGNS))).toEqual(['FORBIDDEN']);
    // A bad key is refused before anything runs: rejected, under the name already known.
    const stranger = client(stack.router.handler, 'dcrm_pk_unknown_0000000000000000');
    for (let i = 0; i < K; i++) expect((await stranger(STOREFRONT)).status).toBe(401);
    // A name never run is not planted as a label by a refused request.
    expect((await stranger('query MetricsNeverRan { storefront { slug } }')).status).toBe(401);

    const samples = await scrape();
    const requests = (labels: Record<string, string>) => total(samples, 'dcrm_requests_total', labels);
    const histogramCount = (labels: Record<string, string>) => total(samples, 'dcrm_request_duration_seconds_count', labels);

    expect(requests({ operation: 'MetricsStorefront', outcome: 'success', code: '' })).toBe(N);
    expect(requests({ operation: 'MetricsCampaigns', outcome: 'failure', code: 'FORBIDDEN' })).toBe(M);
    expect(requests({ operation: 'MetricsStorefront', outcome: 'rejected', code: 'UNAUTHENTICATED' })).toBe(K);
    expect(requests({ operation: 'other', outcome: 'rejected', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(has(samples, 'dcrm_requests_total', { operation: 'MetricsNeverRan' })).toBe(false);

    expect(histogramCount({ operation: 'MetricsStorefront', outcome: 'success' })).toBe(N);
    expect(histogramCount({ operation: 'MetricsCampaigns', outcome: 'failure' })).toBe(M);
    expect(histogramCount({ operation: 'MetricsStorefront', outcome: 'rejected' })).toBe(K);
    expect(total(samples, 'dcrm_request_duration_seconds_bucket', { operation: 'MetricsStorefront', outcome: 'success', le: '+Inf' })).toBe(
      N,
    );
    // Every request received was answered (the sign-in included); none is in flight.
    expect(total(samples, 'dcrm_requests_received_total')).toBe(total(samples, 'dcrm_requests_total'));
    expect(total(samples, 'dcrm_requests_in_flight')).toBe(0);
    // The slowest answer is one of the answers: above 0, within their sum.
    const slowest = total(samples, 'dcrm_request_duration_max_seconds', { operation: 'MetricsStorefront' });
    expect(slowest).toBeGreaterThan(0);
    expect(slowest).toBeLessThanOrEqual(total(samples, 'dcrm_request_duration_seconds_sum', { operation: 'MetricsStorefront' }));

    // The subgraphs' side, in the same exposition (all-in-one): catalog served each storefront fetch.
    expect(
      total(samples, 'dcrm_subgraph_requests_total', { subgraph: 'catalog', operation: 'MetricsStorefront', outcome: 'success' }),
    ).toBe(N);
    expect(
      total(samples, 'dcrm_subgraph_requests_total', { subgraph: 'promotion', operation: 'MetricsCampaigns', code: 'FORBIDDEN' }),
    ).toBe(M);
    expect(total(samples, 'dcrm_subgraph_fetch_duration_seconds_count', { subgraph: 'catalog' })).toBe(N);
    expect(total(samples, 'dcrm_subgraph_fetch_errors_total', { subgraph: 'promotion', code: 'FORBIDDEN' })).toBe(M);
    expect(total(samples, 'dcrm_subgraph_fetch_errors_total', { subgraph: 'catalog' })).toBe(0);
  });

  it('counts query-plan cache lookups: an operation is planned once, then every repeat hits or is passed through', async () => {
    const lookups = async () => {
      const samples = await scrape();
      return {
        hit: total(samples, 'dcrm_query_plan_cache_lookups_total', { result: 'hit' }),
        miss: total(samples, 'dcrm_query_plan_cache_lookups_total', { result: 'miss' }),
        // One fetch from one subgraph: repeats go to the subgraph without the gateway's plan (passthrough.ts).
        passed: total(samples, 'dcrm_passthrough_total', { subgraph: 'catalog', result: 'answered' }),
      };
    };
    const shopper = client(stack.router.handler, KEYS.volt);
    // A text no client sent before (not among the documents planned at start).
    const operation = `query PlanCache${Date.now()} { storefront { slug } }`;
    const before = await lookups();
    for (let i = 0; i < N; i++) expect((await shopper(operation)).body.errors).toBeUndefined();
    const after = await lookups();
    expect(after.miss - before.miss).toBe(1);
    expect(after.passed - before.passed).toBe(N - 1);
    expect(after.hit - before.hit).toBe(0);
  });

  it('reports pools, job queues and Node, once per process', async () => {
    const samples = await scrape();
    for (const subgraph of ['catalog', 'customer', 'cart', 'promotion', 'opportunity', 'ticket', 'quote']) {
      expect(total(samples, 'dcrm_db_pool_max', { subgraph })).toBeGreaterThan(0);
      expect(has(samples, 'dcrm_db_pool_connections', { subgraph, state: 'idle' })).toBe(true);
      expect(total(samples, 'dcrm_db_pool_waiting', { subgraph })).toBe(0);
    }
    expect(has(samples, 'dcrm_job_queue_depth', { subgraph: 'cart', task: 'cart:abandonment', state: 'waiting' })).toBe(true);
    expect(has(samples, 'dcrm_job_queue_depth', { subgraph: 'promotion', task: 'promotion:campaign-sweep' })).toBe(true);
    expect(samples.filter((s) => s.name === 'process_cpu_user_seconds_total')).toHaveLength(1);
    expect(has(samples, 'nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('counts open subscriptions and the events delivered to them', async () => {
    const live = connectLive(wsUrl, { 'x-api-key': KEYS.volt });
    try {
      const sub = subscribeLive(live, 'subscription { storefrontOffers { id } }');
      await eventually(() => stack.router.liveStats().subscriptions === 1);
      let samples = await scrape();
      expect(total(samples, 'dcrm_subscriptions_open')).toBe(1);
      expect(total(samples, 'dcrm_live_sockets_open')).toBe(1);
      expect(total(samples, 'dcrm_live_events_delivered_total')).toBe(0);

      const manager = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
      const created = await manager.gql('mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } } }', {
        input: { productId: productId('volt-sim-unlimited'), template: { title: 'Metrics live', message: 'm' } },
      });
      const offerId = created.body.data?.offerCreate.offer.id as string;
      await sub.until(() => sub.ids('storefrontOffers').includes(offerId));
      samples = await scrape();
      expect(total(samples, 'dcrm_live_events_delivered_total')).toBe(1);
    } finally {
      await live.dispose();
    }
  });

  it('is for loopback callers only when no token is set, and not through a proxy', async () => {
    const relayed = await request(stack.router.handler).get('/metrics').set('x-forwarded-for', '203.0.113.9');
    expect(relayed.status).toBe(403);
    expect(relayed.text).not.toContain('dcrm_');
  });
});
