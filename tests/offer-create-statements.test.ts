import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { KEYS, productId, type Response, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * A staff `offerCreate` is on the path of every live offer (mutation → publish → subscribers): it
 * writes the offer in one statement and answers from the row it wrote, without reading it back. The
 * product it checks is read from the catalog once and then kept until the catalog changes
 * (clients/catalog.ts). Counts, not time.
 */
let stack: Stack;
let staff: Awaited<ReturnType<typeof signIn>>;
beforeAll(async () => {
  stack = await startTestStack();
  staff = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
});
afterAll(() => stack.stop());

const CREATE = `mutation ($input: OfferCreateInput!) { offerCreate(input: $input) {
  offer { id title message source status score createdAt expiresAt product { id } customer { id } } userErrors { code field message } } }`;
const PLAN = productId('volt-sim-unlimited');
const READ = 'query ($id: ID!) { offer(id: $id) { id title message source status score createdAt expiresAt } }';

/**
 * The call made again until the product was kept: the test files share one Redis bus, and any of them
 * changing the catalog makes promotion forget what it kept, so an attempt may read the product again
 * (`withRead` statements). Five such attempts in a row would mean it is not kept at all.
 */
async function keptCount(withRead: number, call: () => Promise<Response>): Promise<Response> {
  let res = await call();
  for (let attempt = 1; attempt < 5 && res.statements === withRead; attempt++) res = await call();
  return res;
}

describe('offerCreate: one statement of its own, answered from the row it wrote', () => {
  it('a public offer: the insert (the product kept since the first offer)', async () => {
    // The first call warms the router's key and the catalog's caches, and reads the product: count the next.
    await staff.gql(CREATE, { input: { productId: PLAN, template: { title: 'warm', message: 'm' } } });
    const res = await keptCount(2, () =>
      staff.gql(CREATE, { input: { productId: PLAN, template: { title: 'Public {{product}}', message: 'For all' }, ttlHours: 2 } }),
    );
    const offer = res.body.data?.offerCreate.offer;
    expect(res.body.data?.offerCreate.userErrors).toEqual([]);
    expect(offer).toMatchObject({
      source: 'STOREFRONT',
      status: 'NEW',
      score: 50,
      message: 'For all',
      product: { id: PLAN },
      customer: null,
    });
    expect(offer.title).toMatch(/^Public .+/);
    expect(Date.parse(offer.expiresAt) - Date.parse(offer.createdAt)).toBe(2 * 3_600_000);
    expect(res.statements).toBe(1);
    // What it answered is what was stored.
    const stored = await staff.gql(READ, { id: offer.id });
    const { product: _p, customer: _c, ...fields } = offer;
    expect(stored.body.data?.offer).toEqual(fields);
  });

  it('a personal offer: the account read (customer) and the insert', async () => {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Stmt Carol', prefix: 'stmt' });
    const res = await keptCount(3, () =>
      staff.gql(CREATE, {
        input: { customerId: customer.id, productId: PLAN, template: { title: 'Hi {{name}}', message: 'Yours' }, score: 80 },
      }),
    );
    const offer = res.body.data?.offerCreate.offer;
    expect(res.body.data?.offerCreate.userErrors).toEqual([]);
    expect(offer).toMatchObject({ title: 'Hi Stmt Carol', source: 'AGENT', status: 'NEW', score: 80, customer: { id: customer.id } });
    expect(res.statements).toBe(2);
  });
});
