import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { customType, decisionRule, event, INGEST, privateKey } from './support/decisioning.js';
import { connectLive, eventually, subscribeLive } from './support/live.js';
import { KEYS, productId, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * Channel choice: a customer with a live-offer subscription open on the router gets the decision's
 * offer over it (channel LIVE); one without gets it in the inbox, the next channel the rule allows.
 */
let stack: Stack;
let url: string;
beforeAll(async () => {
  stack = await startTestStack();
  const server = await stack.router.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => stack.stop());

describe('channel choice', () => {
  it('a connected customer gets the offer live, with the product resolved for them; an offline one in the inbox', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const ingest = await privateKey(stack, manager, ['events:write']);
    const type = await customType(manager);
    const PLAN = productId('volt-sim-unlimited');
    await decisionRule(manager, {
      eventType: type,
      channels: ['LIVE', 'INBOX'],
      action: { kind: 'OFFER', productId: PLAN, template: { title: 'Top up for {{name}}', message: '{{product}}' } },
    });
    const online = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'live', name: 'Online Olive' });
    const offline = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'live', name: 'Offline Oscar' });
    const live = connectLive(url, { authorization: `Bearer ${online.accessToken}` });
    try {
      const sub = subscribeLive(live, 'subscription { offerReceived { id title source product { id price { amount { amount } } } } }');
      await eventually(() => stack.router.liveStats().subscriptions === 1);
      const res = await ingest(INGEST, { events: [event(type, online.id), event(type, offline.id)] });
      const [a, b] = res.body.data?.eventsIngest.results ?? [];
      expect([a.outcome, b.outcome]).toEqual(['ACTION', 'ACTION']);
      await sub.until(() => sub.results.length > 0);
      expect(sub.results[0].data?.offerReceived).toMatchObject({
        title: 'Top up for Online Olive',
        source: 'REAL_TIME',
        product: { id: PLAN },
      });
      expect(sub.results[0].data?.offerReceived.product.price.amount.amount).toMatch(/^\d+\.\d{2}$/);
      const channelOf = async (customerId: string) =>
        (await manager('query ($c: ID) { decisions(filter: { customerId: $c }) { nodes { channel } } }', { c: customerId })).body.data
          ?.decisions.nodes;
      expect(await channelOf(online.id)).toEqual([{ channel: 'LIVE' }]);
      expect(await channelOf(offline.id)).toEqual([{ channel: 'INBOX' }]);
      sub.dispose();
    } finally {
      await live.dispose();
    }
  });
});
