import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { describe, expect, it } from 'vitest';
import { createLookupCache, keepable } from '../src/subscriptions/lookup-cache.js';

const entities = (selection: string) => `query($representations:[_Any!]!){_entities(representations:$representations){${selection}}}`;
const products = { representations: [{ __typename: 'Product', id: 'p1' }] };
const request = (selection: string, variables: Record<string, unknown> = products) => ({ query: entities(selection), variables });

describe('which catalog fetches a live lookup may keep', () => {
  it('products read for their content only', () => {
    expect(keepable(request('...on Product{name}'))).toBe(true);
    expect(
      keepable(request('...on Product{__typename id name status images{url altText} attributes{key label value unit} category{name}}')),
    ).toBe(true);
  });

  it('never prices, counts, another type, arguments, directives or another root field', () => {
    expect(keepable(request('...on Product{name price{amount{amount}}}'))).toBe(false);
    expect(keepable(request('...on Product{prices{type}}'))).toBe(false);
    expect(keepable(request('...on Product{category{productCount}}'))).toBe(false);
    expect(keepable(request('...on Product{compatibleAddons{name}}'))).toBe(false);
    expect(keepable(request('...on Category{name}', { representations: [{ __typename: 'Category', id: 'c' }] }))).toBe(false);
    expect(keepable(request('...on Product{name @include(if: true)}'))).toBe(false);
    expect(keepable(request('...on Product{images{url}}'.replace('images', 'images(first: 1)')))).toBe(false);
    expect(keepable({ query: '{ storefront { currencyCode } }', variables: products })).toBe(false);
    expect(keepable(request('...on Product{name}', { representations: [{ __typename: 'Offer', id: 'o' }] }))).toBe(false);
    expect(keepable(request('...on Product{name}', {}))).toBe(false);
    expect(keepable(request('...on Product{images}'))).toBe(false);
  });
});

describe('the kept catalog content', () => {
  const answer = (name: string): GatewayGraphQLResponse => ({ data: { _entities: [{ name }] } });
  const fetcher = (responses: GatewayGraphQLResponse[]) => {
    let calls = 0;
    return { run: async () => responses[Math.min(calls++, responses.length - 1)], calls: () => calls };
  };
  const ok = request('...on Product{name}');

  it('answers the same view from what it kept, a copy each time; another view or subgraph fetches', async () => {
    const cache = createLookupCache();
    const f = fetcher([answer('A'), answer('B')]);
    const first = await cache.fetch('view', 'catalog', ok, f.run);
    const second = await cache.fetch('view', 'catalog', ok, f.run);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    (second.data as { _entities: { name: string }[] })._entities[0].name = 'changed by the gateway';
    expect(await cache.fetch('view', 'catalog', ok, f.run)).toEqual(answer('A'));
    expect(f.calls()).toBe(1);
    expect(await cache.fetch('other view', 'catalog', ok, f.run)).toEqual(answer('B'));
    await cache.fetch('view', 'promotion', ok, f.run);
    expect(f.calls()).toBe(3);
    expect(cache.stats()).toEqual({ hits: 2, misses: 2, entries: 2 });
  });

  it('keeps no errors, nothing read across a change, and nothing past its lifetime', async () => {
    let now = 0;
    const cache = createLookupCache(() => now, 1_000);
    const failing = fetcher([{ errors: [{ message: 'x' }] }, answer('A')]);
    await cache.fetch('v', 'catalog', ok, failing.run);
    await cache.fetch('v', 'catalog', ok, failing.run);
    expect(failing.calls()).toBe(2);

    let release: (r: GatewayGraphQLResponse) => void = () => {};
    const slow = cache.fetch('w', 'catalog', ok, () => new Promise((r) => (release = r)));
    cache.clear();
    release(answer('stale'));
    await slow;
    const fresh = fetcher([answer('fresh')]);
    expect(await cache.fetch('w', 'catalog', ok, fresh.run)).toEqual(answer('fresh'));
    expect(fresh.calls()).toBe(1);

    now = 1_001;
    await cache.fetch('w', 'catalog', ok, fresh.run);
    expect(fresh.calls()).toBe(2);
  });

  it('keeps nothing once disabled', async () => {
    const cache = createLookupCache();
    const f = fetcher([answer('A')]);
    cache.disable();
    await cache.fetch('v', 'catalog', ok, f.run);
    await cache.fetch('v', 'catalog', ok, f.run);
    expect(f.calls()).toBe(2);
  });
});
