import { type FinishedSpan, SpanKind, stopTracing, traceToMemory } from '@dcrm/kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, KEYS, productId, startTestStack } from './support/stack.js';

/**
 * One trace from the router through every subgraph it calls (in-process targets carry `traceparent`
 * exactly as HTTP does), read back from an in-memory exporter registered before the stack starts.
 */
const spans = await traceToMemory();
let stack: Stack;

beforeAll(async () => {
  stack = await startTestStack();
  // The router verifies a key once (a customer fetch), then caches it: keep that out of the traces below.
  await client(stack.router.handler, KEYS.volt)('{ storefront { name } }');
});
afterAll(async () => {
  await stack.stop();
  await stopTracing();
});
beforeEach(() => spans.reset());

// cart answers the mutation (asking catalog for prices itself); the router then asks catalog for `product`.
const CART_WITH_PRODUCTS = `mutation CartWithProducts($productId: ID!) {
  cartCreate(input: { lines: [{ productId: $productId, quantity: 1 }] }) { cart { lines { name product { name slug } } } userErrors { code } }
}`;
const PLAN = productId('volt-sim-unlimited');

const service = (span: FinishedSpan) => span.attributes['dcrm.service'];
const servers = (all: FinishedSpan[]) => all.filter((s) => s.kind === SpanKind.SERVER);
const parentOf = (all: FinishedSpan[], span: FinishedSpan) => all.find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId);

/** The spans from `span` up to its trace's root in this process. */
function ancestry(all: FinishedSpan[], span: FinishedSpan): FinishedSpan[] {
  const chain: FinishedSpan[] = [];
  for (let at = parentOf(all, span); at; at = parentOf(all, at)) chain.push(at);
  return chain;
}

describe('traces', () => {
  it('one trace id across the router and every subgraph span of a request, each subgraph span a child of the fetch that called it', async () => {
    const res = await client(stack.router.handler, KEYS.volt)(CART_WITH_PRODUCTS, { productId: PLAN });
    expect(res.body.data?.cartCreate.cart.lines[0].product.slug).toBe('volt-sim-unlimited');

    const all = spans.getFinishedSpans();
    const router = servers(all).filter((s) => service(s) === 'router');
    expect(router).toHaveLength(1);
    expect(router[0].parentSpanContext).toBeUndefined();
    expect(router[0].attributes).toMatchObject({ 'graphql.operation.name': 'CartWithProducts', 'graphql.operation.type': 'mutation' });
    const traceId = router[0].spanContext().traceId;

    const subgraphs = servers(all).filter((s) => service(s) !== 'router');
    expect(new Set(subgraphs.map(service))).toEqual(new Set(['cart', 'catalog']));
    expect(subgraphs.length).toBeGreaterThanOrEqual(3); // router → cart, cart → catalog, router → catalog
    for (const span of subgraphs) {
      expect(span.spanContext().traceId).toBe(traceId);
      const fetch = parentOf(all, span);
      expect(fetch?.kind).toBe(SpanKind.CLIENT);
      expect(fetch?.attributes['dcrm.subgraph']).toBe(service(span));
      expect(ancestry(all, span).at(-1)).toBe(router[0]);
    }
    expect(router[0].name).toBe('router CartWithProducts');
    // The router's own fetches sit under the gateway's spans; cart's call to catalog under cart's span.
    const fromRouter = subgraphs.filter((s) => !ancestry(all, s).some((a) => service(a) === 'cart'));
    expect(fromRouter.map(service).sort()).toEqual(['cart', 'catalog']);
    for (const span of fromRouter) expect(ancestry(all, span)[1]?.name).toBe('gateway.fetch');
    const catalogFromCart = subgraphs.filter((s) => service(s) === 'catalog' && ancestry(all, s).some((a) => service(a) === 'cart'));
    expect(catalogFromCart.length).toBeGreaterThanOrEqual(1);
    expect(all.filter((s) => s.spanContext().traceId !== traceId)).toEqual([]);
  });

  it("continues a client's traceparent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const traced = client(stack.router.handler, KEYS.volt, { traceparent: `00-${traceId}-${parentId}-01` });
    const res = await traced('query Listing { products(first: 2) { nodes { slug } } }');
    expect(res.body.errors).toBeUndefined();

    const all = spans.getFinishedSpans();
    const router = servers(all).find((s) => service(s) === 'router');
    expect(router?.spanContext().traceId).toBe(traceId);
    expect(router?.parentSpanContext).toMatchObject({ traceId, spanId: parentId, isRemote: true });
    expect(servers(all).some((s) => service(s) === 'catalog')).toBe(true);
    expect(all.every((s) => s.spanContext().traceId === traceId)).toBe(true);
  });

  it('notes a caller error on the span by code without marking the request failed', async () => {
    const res = await client(stack.router.handler, KEYS.volt)('query Broken { products(first: 2) { nodes { noSuchField } } }');
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const router = servers(spans.getFinishedSpans()).find((s) => service(s) === 'router');
    expect(router?.attributes['graphql.error.codes']).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(router?.status.code).not.toBe(2); // SpanStatusCode.ERROR
    expect(router?.events).toEqual([]);
  });
});
