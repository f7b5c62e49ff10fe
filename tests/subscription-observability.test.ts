import type { AddressInfo } from 'node:net';
import { type FinishedSpan, offerChannels, SpanKind, stopTracing, traceToMemory } from '@dcrm/kit';
import { type CapturedLogs, captureLogs } from '@dcrm/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { connectLive, eventually, refusalCode, subscribeLive } from './support/live.js';
import { KEYS, productId, STOREFRONT_IDS, signIn, startTestStack } from './support/stack.js';

/**
 * A graphql-ws subscription as an operator sees it: a start line and an end line (operation, client,
 * duration, events delivered, error codes, never a credential), a span for its start and one for
 * each event it runs, the gateway's spans beneath.
 */
const spans = await traceToMemory();
let logs: CapturedLogs;
let stack: Stack;
let url: string;

beforeAll(async () => {
  logs = captureLogs('info');
  stack = await startTestStack();
  const server = await stack.router.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await stack.stop();
  await stopTracing();
  logs.restore();
});

const lines = (msg: string, operation: string) =>
  logs.lines().filter((l) => l.component === 'subscriptions' && l.msg === msg && l.operation === operation);
const named = (all: FinishedSpan[], name: string) => all.filter((s) => s.name === name);

describe('subscription logs and spans', () => {
  it('one line when it starts, one when it ends with its events; a span for the start and one per event run', async () => {
    const live = connectLive(url, { 'x-api-key': KEYS.volt });
    const sub = subscribeLive(live, 'subscription VoltWatch { storefrontOffers { id title } }');
    await eventually(() => lines('subscription start', 'VoltWatch').length === 1);
    const staff = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    const created = await staff.gql(
      'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code } } }',
      { input: { productId: productId('volt-sim-unlimited'), template: { title: `Watched ${Date.now()}`, message: 'm' } } },
    );
    const offerId = created.body.data?.offerCreate.offer.id as string;
    await sub.until(() => sub.ids('storefrontOffers').includes(offerId));
    // The same offer again, straight on the bus: a second event.
    await stack.bus.publish(offerChannels.storefront(STOREFRONT_IDS.volt), { offerId });
    await sub.until(() => sub.ids('storefrontOffers').length >= 2);
    await live.dispose();
    await eventually(() => lines('subscription end', 'VoltWatch').length === 1);

    const [start] = lines('subscription start', 'VoltWatch');
    expect(start).toMatchObject({ level: 'info', clientKind: 'anonymous', storefront: STOREFRONT_IDS.volt });
    expect(start.subscriptionId).toEqual(expect.any(String));
    const [end] = lines('subscription end', 'VoltWatch');
    expect(end).toMatchObject({
      clientKind: 'anonymous',
      storefront: STOREFRONT_IDS.volt,
      subscriptionId: start.subscriptionId,
      events: 2,
    });
    expect(end.ms).toEqual(expect.any(Number));
    expect(end.codes).toBeUndefined();
    expect(logs.text()).not.toContain(KEYS.volt);

    const all = spans.getFinishedSpans();
    const [subscribe] = named(all, 'router subscribe VoltWatch');
    expect(subscribe.kind).toBe(SpanKind.SERVER);
    expect(subscribe.attributes).toMatchObject({ 'graphql.operation.type': 'subscription', 'graphql.operation.name': 'VoltWatch' });
    const events = named(all, 'router subscription event VoltWatch');
    expect(events).toHaveLength(2);
    for (const event of events) {
      // The gateway runs each event's lookup beneath it, down to the subgraphs.
      const children = all.filter((s) => s.parentSpanContext?.spanId === event.spanContext().spanId);
      expect(children.map((s) => s.name)).toContain('gateway.request');
    }
    // The event the mutation published runs in the mutation's trace (the in-process bus keeps it).
    const mutations = all.filter((s) => s.kind === SpanKind.SERVER && s.attributes['graphql.operation.type'] === 'mutation');
    const mutationTraces = new Set(mutations.map((s) => s.spanContext().traceId));
    expect(events.some((e) => mutationTraces.has(e.spanContext().traceId))).toBe(true);
  });

  it('a refused subscribe is one line with its codes, and its span carries them', async () => {
    const live = connectLive(url, { 'x-api-key': KEYS.volt });
    const sub = subscribeLive(live, 'subscription KeyOnlyMine { offerReceived { id } }');
    await eventually(() => sub.completed);
    expect(refusalCode(sub)).toBe('UNAUTHENTICATED');
    await live.dispose();
    expect(lines('subscription refused', 'KeyOnlyMine')).toEqual([
      expect.objectContaining({ clientKind: 'anonymous', codes: ['UNAUTHENTICATED'] }),
    ]);
    expect(lines('subscription start', 'KeyOnlyMine')).toEqual([]);
    const [span] = named(spans.getFinishedSpans(), 'router subscribe KeyOnlyMine');
    expect(span.attributes['graphql.error.codes']).toEqual(['UNAUTHENTICATED']);
  });
});
