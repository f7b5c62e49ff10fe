import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Counter, claimedOperationName, exposition, mayScrape, operationLabels, outcomeOf, Registry, windowMaxGauge } from './metrics.js';

const caller = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

describe('mayScrape', () => {
  it('without a token: loopback callers only, never one relayed by a proxy', () => {
    expect(mayScrape(caller('127.0.0.1'), null)).toBe(true);
    expect(mayScrape(caller('::1'), null)).toBe(true);
    expect(mayScrape(caller('::ffff:127.0.0.1'), null)).toBe(true);
    expect(mayScrape(caller('10.0.0.7'), null)).toBe(false);
    expect(mayScrape(caller('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), null)).toBe(false);
    expect(mayScrape(caller('127.0.0.1', { forwarded: 'for=203.0.113.9' }), null)).toBe(false);
  });

  it('with a token: whoever sends it as a bearer, loopback or not; nobody else', () => {
    expect(mayScrape(caller('10.0.0.7', { authorization: 'Bearer s3cret-token' }), 's3cret-token')).toBe(true);
    expect(mayScrape(caller('127.0.0.1'), 's3cret-token')).toBe(false);
    expect(mayScrape(caller('127.0.0.1', { authorization: 'Bearer s3cret-tokeN' }), 's3cret-token')).toBe(false);
    expect(mayScrape(caller('127.0.0.1', { authorization: 's3cret-token' }), 's3cret-token')).toBe(false);
  });
});

describe('outcomeOf', () => {
  it('success, failure by first code, rejected for 4xx, failure for 5xx', () => {
    expect(outcomeOf(200, '{"data":{"a":1}}')).toEqual({ outcome: 'success', code: '' });
    expect(outcomeOf(200, '{"data":null,"errors":[{"message":"x","extensions":{"code":"FORBIDDEN"}}]}')).toEqual({
      outcome: 'failure',
      code: 'FORBIDDEN',
    });
    expect(outcomeOf(401, '{"errors":[{"message":"x","extensions":{"code":"UNAUTHENTICATED"}}]}')).toEqual({
      outcome: 'rejected',
      code: 'UNAUTHENTICATED',
    });
    expect(outcomeOf(429, '{"errors":[{"message":"x","extensions":{"code":"THROTTLED"}}]}').outcome).toBe('rejected');
    expect(outcomeOf(413, undefined)).toEqual({ outcome: 'rejected', code: 'HTTP_413' });
    expect(outcomeOf(503, '{"errors":[{"message":"x","extensions":{"code":"SERVICE_UNAVAILABLE"}}]}').outcome).toBe('failure');
  });

  it('keeps code labels few: odd codes are OTHER, none is INTERNAL_SERVER_ERROR', () => {
    expect(outcomeOf(200, '{"errors":[{"message":"x","extensions":{"code":"made up; by a client"}}]}').code).toBe('OTHER');
    expect(outcomeOf(200, '{"errors":[{"message":"x"}]}').code).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('operation labels', () => {
  it('claims the operationName, else the first named operation of the text', () => {
    expect(claimedOperationName({ query: '{ a }' })).toBeUndefined();
    expect(claimedOperationName({ query: 'fragment F on Q { a }\nquery Products($n: Int) { ...F }' })).toBe('Products');
    expect(claimedOperationName({ query: 'query A { a } query B { b }', operationName: 'B' })).toBe('B');
  });

  it('admits names only from requests that ran, up to a cap; known names always', () => {
    const label = operationLabels(2, ['Known']);
    expect(label(undefined, true)).toBe('anonymous');
    expect(label('Known', false)).toBe('Known');
    expect(label('Planted', false)).toBe('other');
    expect(label('First', true)).toBe('First');
    expect(label('Second', true)).toBe('Second');
    expect(label('Third', true)).toBe('other');
    expect(label('First', false)).toBe('First');
    expect(label('not a name!', true)).toBe('other');
  });
});

describe('windowMaxGauge', () => {
  afterEach(() => vi.useRealTimers());

  it('is the largest value of the last minute, sliding', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const registry = new Registry();
    const observe = windowMaxGauge(registry, 'x_max', 'x', ['op']);
    observe({ op: 'a' }, 0.5);
    vi.setSystemTime(new Date('2026-01-01T00:00:30Z'));
    observe({ op: 'a' }, 0.2);
    const value = async () => (await registry.getSingleMetricAsString('x_max')).split('\n').find((l) => l.startsWith('x_max{'));
    expect(await value()).toBe('x_max{op="a"} 0.5');
    vi.setSystemTime(new Date('2026-01-01T00:01:05Z'));
    expect(await value()).toBe('x_max{op="a"} 0.2');
    vi.setSystemTime(new Date('2026-01-01T00:02:00Z'));
    expect(await value()).toBeUndefined();
  });
});

describe('exposition', () => {
  it('renders several registries as one, a metric shared by name as one family', async () => {
    const registries = ['catalog', 'cart'].map((subgraph) => {
      const registry = new Registry();
      new Counter({ name: 'x_total', help: 'x', labelNames: ['subgraph'], registers: [registry] }).inc({ subgraph }, 2);
      return registry;
    });
    const text = await exposition(registries);
    expect(text.match(/# TYPE x_total counter/g)).toHaveLength(1);
    expect(text).toContain('x_total{subgraph="catalog"} 2');
    expect(text).toContain('x_total{subgraph="cart"} 2');
  });
});
