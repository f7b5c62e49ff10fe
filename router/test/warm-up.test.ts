import { memoryBus, type Principal, type SubgraphRequest, type SubgraphTarget } from '@dcrm/kit';
import { stubTarget } from '@dcrm/kit/testing';
import { loadSupergraph, subgraphNames } from '@dcrm/schema';
import { ProductsDocument } from '@dcrm/storefront-sdk';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../src/router.js';
import { sdkDocuments } from '../src/warm-up.js';

const calls: { target: string; request: SubgraphRequest; principal: Principal }[] = [];
const targets: SubgraphTarget[] = subgraphNames(loadSupergraph()).map((name) =>
  stubTarget({
    name,
    ready: async () => true,
    execute: async (req, principal) => {
      calls.push({ target: name, request: req, principal });
      return { data: { products: null } };
    },
  }),
);

let router: Router;

beforeAll(async () => {
  router = await createRouter({ supergraphSdl: loadSupergraph(), targets, bus: memoryBus(), warmUp: sdkDocuments() });
});
afterAll(() => router.stop());

describe('query plan warm-up', () => {
  it('plans every SDK query and mutation at start without sending anything to a subgraph', () => {
    const plannable = sdkDocuments().filter((d) => /^(query|mutation)\b/.test(d));
    expect(plannable.length).toBeGreaterThan(20);
    // Each one got through coercion and validation to the planner, and its fetches to the data source.
    expect(router.warmedPlans).toBe(plannable.length);
    // Mutations included (cartCheckout, customerLogin, …): none reached a subgraph.
    expect(calls).toEqual([]);
  });

  it('leaves real requests alone: they reach their subgraph as their caller', async () => {
    // No credentials: the (fake) catalog answers whoever asks.
    await request(router.handler)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: ProductsDocument, variables: { first: 3 } });
    expect(calls).toMatchObject([{ target: 'catalog', principal: { kind: 'anonymous' } }]);
  });
});
