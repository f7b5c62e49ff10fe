import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { customType, decisionRows, decisionRule, event, INGEST, privateKey } from './support/decisioning.js';
import { KEYS, registerCustomer, signIn, startTestStack } from './support/stack.js';

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
});
