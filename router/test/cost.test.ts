import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { openCostBuckets } from '../src/cost/budget.js';
import { cachedQueryCost, costInputs } from '../src/cost/cache.js';
import { queryCost } from '../src/cost/calculate.js';

/** The calculated query cost on the client-facing schema: the rules stated in cost/calculate.ts. */
const schema = buildSchema(readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8'));
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  queryCost(schema, parse(query), variables, operationName);

describe('queryCost', () => {
  it('scalars are free, objects cost 1', () => {
    expect(cost('{ __typename }')).toBe(0);
    expect(cost('{ storefront { name } }')).toBe(1);
    expect(
      cost('query ($slug: String!) { product(slug: $slug) { name category { name } price { amount { amount } } } }', { slug: 'x' }),
    ).toBe(4);
  });

  it('a connection costs 2 + first × its items; edges and pageInfo are free', () => {
    expect(cost('{ products(first: 10) { nodes { name } } }')).toBe(12);
    expect(cost('{ products(first: 10) { edges { cursor node { name } } pageInfo { hasNextPage } totalCount } }')).toBe(12);
    expect(cost('{ products(first: 10) { nodes { name category { name } } } }')).toBe(22);
  });

  it("a connection's own fields (facets) count once, not per item", () => {
    const facets = 'facets { kinds { kind count } categories { count category { name } } priceBands { count } }';
    const ownCost = cost(`{ products(first: 1) { ${facets} } }`) - 2;
    expect(ownCost).toBeGreaterThan(0);
    expect(cost(`{ products(first: 100) { nodes { name } ${facets} } }`)).toBe(2 + 100 + ownCost);
    expect(cost(`{ products(first: 100) { ... on ProductConnection { nodes { name } ${facets} } } }`)).toBe(2 + 100 + ownCost);
  });

  it('nested connections multiply', () => {
    // 2 + 10 × (customer 1 + orders 2 + 5 × order 1)
    expect(cost('{ customers(first: 10) { nodes { name orders(first: 5) { nodes { id } } } } }')).toBe(2 + 10 * (1 + 2 + 5));
  });

  it('sizes come from variables, else the schema default; an explicit null counts as 100', () => {
    const query = 'query ($n: Int) { products(first: $n) { nodes { name } } }';
    expect(cost(query, { n: 50 })).toBe(52);
    expect(cost('{ products { nodes { name } } }')).toBe(2 + 20);
    expect(cost(query, { n: null })).toBe(102);
    // Over 100 the subgraph refuses the page (BAD_USER_INPUT); it costs no more than 100.
    expect(cost(query, { n: 1000 })).toBe(102);
    // A sized plain list: each item is an object.
    expect(cost('{ storesNear(latitude: 53.3, longitude: -6.3, first: 3) { id } }')).toBe(2 + 3);
  });

  it('fragments count as selected; on an abstract type the dearest type counts', () => {
    const spread = 'fragment Card on Product { name category { name } } { products(first: 10) { nodes { ...Card } } }';
    expect(cost(spread)).toBe(22);
    const inline = '{ products(first: 10) { nodes { ... on Product { category { name } } } } }';
    expect(cost(inline)).toBe(22);
  });

  it('each alias counts', () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `p${i}: products(first: 100) { nodes { name compatibleAddons { name } } }`);
    expect(cost(`{ ${aliases.join(' ')} }`)).toBe(30 * (2 + 100 * 2));
  });

  it('@skip and @include leave fields out', () => {
    const query = 'query ($full: Boolean!) { storefront { name } products(first: 10) @include(if: $full) { nodes { name } } }';
    expect(cost(query, { full: false })).toBe(1);
    expect(cost(query, { full: true })).toBe(13);
  });

  it('each mutation field costs a fixed 10, whatever its payload selects', () => {
    expect(cost('mutation { customerLogout(input: { refreshToken: "x" }) { userErrors { code } } }')).toBe(10);
    expect(
      cost(`mutation {
        a: customerLogout(input: { refreshToken: "x" }) { userErrors { code } }
        b: customerLogout(input: { refreshToken: "y" }) { userErrors { code } }
      }`),
    ).toBe(20);
  });

  it('introspection is cheap', () => {
    expect(cost('{ __schema { types { name fields { name type { name ofType { name } } } } } }')).toBe(1);
    expect(cost('{ __type(name: "Product") { fields { name } } }')).toBe(1);
  });

  it('only the named operation counts', () => {
    const doc = 'query A { storefront { name } } query B { products(first: 10) { nodes { name } } }';
    expect(cost(doc, {}, 'A')).toBe(1);
    expect(cost(doc, {}, 'B')).toBe(12);
  });
});

describe('cachedQueryCost', () => {
  const query = `query Page($first: Int, $slug: String!, $withCategory: Boolean!, $n: Int) {
    products(first: $first) { nodes { name category @include(if: $withCategory) { name } } }
    product(slug: $slug) { name addons: compatibleAddons { name } }
    more: products(first: 3) { nodes { name } }
    ...Extra
  }
  fragment Extra on Query { customers(last: $n) { nodes { id } } }`;

  it('depends on the variables in size arguments and @skip/@include only', () => {
    expect(costInputs(parse(query))).toEqual(['first', 'n', 'withCategory']);
    expect(costInputs(parse('query ($slug: String!) { product(slug: $slug) { name } }'))).toEqual([]);
  });

  it('answers what queryCost answers, per page size, and remembers the same parsed document', () => {
    const cached = cachedQueryCost();
    const document = parse(query);
    for (const variables of [
      { first: 10, slug: 'a', withCategory: true, n: 2 },
      { first: 10, slug: 'b', withCategory: true, n: 2 },
      { first: 20, slug: 'a', withCategory: false, n: 2 },
      { first: null, slug: 'a', withCategory: false },
      { slug: 'a', withCategory: true, n: 5 },
    ])
      expect(cached(schema, document, variables, 'Page')).toBe(queryCost(schema, document, variables, 'Page'));
    expect(cached(schema, document, { first: 10, slug: 'c', withCategory: true, n: 2 }, 'Page')).toBe(
      queryCost(schema, document, { first: 10, slug: 'a', withCategory: true, n: 2 }, 'Page'),
    );
  });

  it('refuses variables that do not coerce, every time, and keeps a bounded number of variants', () => {
    const cached = cachedQueryCost(2);
    const document = parse('query ($first: Int) { products(first: $first) { nodes { name } } }');
    for (let i = 0; i < 2; i++) expect(() => cached(schema, document, { first: 'ten' })).toThrow();
    expect([1, 2, 3, 1].map((first) => cached(schema, document, { first }))).toEqual([3, 4, 5, 3]);
  });
});

describe('cost buckets', () => {
  it('a refused spend takes nothing; with Redis unreachable the buckets count in memory instead of failing', async () => {
    const buckets = openCostBuckets({ keyPrefix: 'dcrm-test:cost:down', redisUrl: 'redis://127.0.0.1:1' });
    const budget = { maximumAvailable: 10, restoreRate: 1 };
    try {
      expect(await buckets.spend('a', 6, budget)).toMatchObject({ ok: true, status: { currentlyAvailable: 4 } });
      const refused = await buckets.spend('a', 6, budget);
      expect(refused).toMatchObject({ ok: false, status: { currentlyAvailable: 4 } });
      expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(await buckets.spend('a', 4, budget)).toMatchObject({ ok: true, status: { currentlyAvailable: 0 } });
      expect(await buckets.spend('b', 4, budget)).toMatchObject({ ok: true, status: { currentlyAvailable: 6 } });
    } finally {
      await buckets.close();
    }
  });
});
