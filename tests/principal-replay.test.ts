import {
  handOverPrincipal,
  internalSecret,
  PRINCIPAL_HEADER,
  type Principal,
  type SubgraphServer,
  signPrincipal,
  takeHandedOverPrincipal,
} from '@dcrm/kit';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, customerId, KEYS, startTestStack } from './support/stack.js';

/**
 * Issue 11: a principal header captured on its way from the router to a subgraph, replayed straight
 * to a subgraph port. Headers are made from the router's real calls (in-process targets, wrapped: the
 * principal each hands over, signed as the HTTP target signs it) and replayed over each subgraph's HTTP
 * handler, as an attacker on the network would.
 */
let stack: Stack;
type Captured = { subgraph: string; header: string; body: Record<string, unknown> };
const captured: Captured[] = [];

const server = (name: string) => {
  const booted = stack.subgraphs.find((s) => s.definition.name === name);
  if (!booted) throw new Error(`no subgraph ${name}`);
  return booted.server;
};

const replay = (subgraph: string, header: string, body: unknown) =>
  request(server(subgraph).handler)
    .post('/graphql')
    .set({ 'content-type': 'application/json', [PRINCIPAL_HEADER]: header })
    .send(body as object);

const capturedFor = (subgraph: string, match: RegExp): Captured => {
  const hit = captured.find((c) => c.subgraph === subgraph && match.test(String(c.body.query)));
  if (!hit) throw new Error(`no call to ${subgraph} matching ${match} captured`);
  return hit;
};

beforeAll(async () => {
  stack = await startTestStack();
  for (const booted of stack.subgraphs) {
    const original = booted.server.execute;
    const audience = booted.definition.name;
    booted.server.execute = (req: Parameters<SubgraphServer['execute']>[0]) => {
      // In-process the principal is handed over, not signed: sign it as the router's HTTP target
      // would have for this subgraph and body, and hand it back.
      const principal = takeHandedOverPrincipal({ audience, body: req.body });
      if (principal) {
        const header = signPrincipal(principal, internalSecret(), { audience, body: req.body });
        captured.push({ subgraph: audience, header, body: structuredClone(req.body) as Record<string, unknown> });
        handOverPrincipal(principal, { audience, body: req.body as object });
      }
      return original(req);
    };
  }
  // The first request with a key makes the router verify it (as its own service principal), then
  // the storefront query goes to the catalog as the key's principal.
  const res = await client(stack.router.handler, KEYS.volt)('{ products(first: 2) { nodes { id name } } }');
  expect(res.body.errors).toBeUndefined();
});
afterAll(() => stack?.stop());
afterEach(() => {
  vi.useRealTimers();
});

describe('a captured principal header', () => {
  it('is accepted again only for the very same request to the same subgraph within seconds', async () => {
    const call = capturedFor('catalog', /products/);
    const same = await replay('catalog', call.header, call.body);
    expect(same.status).toBe(200);
    expect(same.body.data.products.nodes).toHaveLength(2);
  });

  it('is refused by another subgraph (401)', async () => {
    const call = capturedFor('catalog', /products/);
    for (const other of ['customer', 'cart', 'promotion', 'opportunity', 'ticket', 'quote']) {
      const res = await replay(other, call.header, call.body);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('is refused with another body (401), _service and _entities included', async () => {
    const call = capturedFor('catalog', /products/);
    for (const query of [
      '{ products(first: 100) { nodes { id name status } } }',
      '{ _service { sdl } }',
      '{ _entities(representations: [{ __typename: "Product", id: "x" }]) { __typename } }',
    ]) {
      expect((await replay('catalog', call.header, { query })).status).toBe(401);
    }
    const otherVariables = { ...call.body, variables: { first: 100 } };
    expect((await replay('catalog', call.header, otherVariables)).status).toBe(401);
  });

  it('is refused once it has expired (401)', async () => {
    const call = capturedFor('catalog', /products/);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11_000);
    const res = await replay('catalog', call.header, call.body);
    expect(res.status).toBe(401);
  });
});

describe("the router's own service principal", () => {
  const listCustomers = { query: '{ customers(first: 100) { nodes { id email } } }' };

  it('replayed to list customers is refused', async () => {
    const call = capturedFor('customer', /apiKeyVerify/);
    const res = await replay('customer', call.header, listCustomers);
    expect(res.status).toBe(401);
    expect(res.body.data ?? null).toBeNull();
  });

  it('carries only key verification: even validly signed for another query it lists nobody', async () => {
    const call = capturedFor('customer', /apiKeyVerify/);
    const claims = JSON.parse(Buffer.from(call.header.split('.')[0], 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ kind: 'service', id: 'router', storefrontId: null, scopes: ['apikey:verify'], aud: 'customer' });
    const router: Principal = { kind: 'service', id: claims.id, storefrontId: null, partnerId: null, roles: [], scopes: claims.scopes };
    const sign = (body: unknown) => signPrincipal(router, internalSecret(), { audience: 'customer', body });

    const listed = await replay('customer', sign(listCustomers), listCustomers);
    expect(listed.body.data ?? null).toBeNull();
    expect(listed.body.errors[0].extensions.code).toBe('FORBIDDEN');

    const entities = {
      query: `{ _entities(representations: [{ __typename: "Customer", id: "${customerId('aoife')}" }]) { ... on Customer { email } } }`,
    };
    const looked = await replay('customer', sign(entities), entities);
    expect(looked.status).toBe(200);
    expect(looked.body.data._entities).toEqual([null]);
  });
});
