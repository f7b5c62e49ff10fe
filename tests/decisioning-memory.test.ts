import { randomUUID } from 'node:crypto';
import { EVENTS } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { customType, decisionRows, decisionRule, event, INGEST, privateKey, until } from './support/decisioning.js';
import { KEYS, registerCustomer, STOREFRONT_IDS, signIn, startTestStack } from './support/stack.js';

/**
 * Without REDIS_URL (one process, in-memory bus): no stream, but the mutation path decides with the
 * hot context, claims and caps in memory — once per event, caps held.
 */
let stack: Stack;
beforeAll(async () => {
  delete process.env.REDIS_URL;
  stack = await startTestStack();
});
afterAll(() => stack.stop());

describe('decisioning in one process', () => {
  it('decides each event once and holds a daily cap, with no Redis', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const ingest = await privateKey(stack, manager, ['events:write']);
    const type = await customType(manager);
    await decisionRule(manager, { eventType: type, dailyCap: 2 });
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'memory' });
    const producer = `memory-${randomUUID().slice(0, 8)}`;
    const e = event(type, customer.id, { value: 1 }, producer);
    const first = await ingest(INGEST, { events: [e, e, event(type, customer.id, { value: 1 }, producer)] });
    expect(first.body.data?.eventsIngest.results.map((r: { status: string }) => r.status)).toEqual(['ACCEPTED', 'DUPLICATE', 'ACCEPTED']);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => ingest(INGEST, { events: [event(type, customer.id, { value: 1 }, producer)] })),
    );
    expect(answers.map((a) => a.body.data?.eventsIngest.results[0].outcome)).toEqual(Array(5).fill('NO_ACTION'));
    const rows = await decisionRows(stack, producer);
    expect(rows).toHaveLength(7);
    expect(rows.filter((r) => r.outcome === 'ACTION')).toHaveLength(2);
  });

  it('keeps dead letters in memory: a platform event it cannot decide is set aside, and staff read it', async () => {
    const manager = (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql;
    const viewed = { eventId: randomUUID(), storefrontId: STOREFRONT_IDS.volt, customerId: randomUUID(), productId: randomUUID() };
    await stack.bus.publish(EVENTS.productViewed, { ...viewed, at: new Date().toISOString() });
    const DEAD = '{ decisionDeadLetters(reason: "UNKNOWN_CUSTOMER") { nodes { eventId producer type reasons } counts { reason count } } }';
    const read = async () => (await manager(DEAD)).body.data?.decisionDeadLetters;
    await until(async () => (await read())?.nodes.some((n: { eventId: string }) => n.eventId === viewed.eventId), 'the dead letter');
    const page = await read();
    expect(page.nodes.find((n: { eventId: string }) => n.eventId === viewed.eventId)).toEqual({
      eventId: viewed.eventId,
      producer: 'dcrm.bus',
      type: 'PRODUCT_VIEWED',
      reasons: ['UNKNOWN_CUSTOMER'],
    });
    expect(page.counts).toContainEqual({ reason: 'UNKNOWN_CUSTOMER', count: expect.any(Number) });
  });
});
