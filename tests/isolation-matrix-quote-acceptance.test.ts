import { randomUUID } from 'node:crypto';
import { type Principal, SERVICE_SCOPES, seedId, servicePrincipal } from '@dcrm/kit';
import { signedHeaders } from '@dcrm/kit/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, expectRefusedAndUnchanged, succeeded, type WriteAttempt } from './support/brand-matrix.js';
import { client, KEYS, PRIVATE_KEYS, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * `quoteAccept` across brands, segments and kinds of caller: only the quote's customer, a partner of its
 * account and staff with quote:write in its brand and segment accept it; everyone else is refused and
 * nothing changes — no acceptance, no order in the cart, the quote as it was. The accepted quote's order,
 * contract and acceptance are read only by whoever may read the quote.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const PLAN = seedId('product', 'volt-sim-5gb');

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.conor = (await signIn(h, 'customerLogin', 'conor@example.com', KEYS.volt)).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

const ACCEPT = `mutation ($id: ID!, $version: Int!, $key: String!) { quoteAccept(id: $id, version: $version, idempotencyKey: $key) {
  quote { id status } userErrors { code } } }`;
let quote: { id: string; version: number };

beforeAll(async () => {
  const created = succeeded(
    await as.aoife('mutation ($input: QuoteCreateInput!) { quoteCreate(input: $input) { quote { id version } userErrors { code } } }', {
      input: { lines: [{ productId: PLAN }] },
    }),
    'quoteCreate',
  ).quote;
  quote = succeeded(
    await as.aoife(
      'mutation ($id: ID!, $version: Int!) { quoteSubmit(id: $id, version: $version) { quote { id status version } userErrors { code } } }',
      {
        id: created.id,
        version: created.version,
      },
    ),
    'quoteSubmit',
  ).quote;
  expect(quote).toMatchObject({ status: 'APPROVED' });
});

const rows = () =>
  Promise.all([
    dbRows(stack, 'quote', 'select status, version from "quote"."quote" where id = ?', [quote.id]),
    dbRows(stack, 'quote', 'select * from "quote"."quote_acceptance" where quote_id = ?', [quote.id]),
    dbRows(stack, 'cart', 'select id from "cart"."customer_order" where source_id = ?', [quote.id]),
  ]);
const attempt = (gql: Gql) => () => gql(ACCEPT, { id: quote.id, version: quote.version, key: randomUUID() });

const CASES: (WriteAttempt & { who: string })[] = [
  { who: 'conor', what: "another customer accepts Aoife's quote", refusal: 'NOT_FOUND' },
  { who: 'nimbusAgent', what: 'staff of another brand accept a Volt quote', refusal: 'NOT_FOUND' },
  { who: 'businessAgent', what: 'Volt staff of another segment accept a consumer quote', refusal: 'NOT_FOUND' },
  { who: 'skyline', what: 'a partner accepts a quote not of its accounts', refusal: 'NOT_FOUND' },
  { who: 'shopper', what: 'a storefront key (no one signed in) accepts', refusal: 'UNAUTHENTICATED' },
  { who: 'chatbot', what: 'the chatbot key accepts', refusal: 'UNAUTHENTICATED' },
].map((c) => ({ ...c, mutation: 'quoteAccept', attempt: () => attempt(as[c.who] as Gql)(), rows }));

describe('quoteAccept isolation', () => {
  for (const c of CASES)
    it(`${c.what}: ${c.refusal}, nothing accepted or ordered`, async () => {
      await expectRefusedAndUnchanged(c);
    });

  it('the owner accepts; the order, contract and acceptance are read only by who may read the quote', async () => {
    const accepted = succeeded(await attempt(as.aoife)(), 'quoteAccept').quote;
    expect(accepted.status).toBe('ACCEPTED');
    const READ = 'query ($id: ID!) { quote(id: $id) { id order { id } acceptance { acceptedByKind } } }';
    expect((await as.aoife(READ, { id: quote.id })).body.data?.quote).toMatchObject({ order: { id: expect.any(String) } });
    expect((await as.consumerAgent(READ, { id: quote.id })).body.data?.quote).toMatchObject({ acceptance: { acceptedByKind: 'customer' } });
    for (const gql of [as.conor, as.nimbusAgent, as.businessAgent, as.skyline])
      expect((await gql(READ, { id: quote.id })).body.data?.quote ?? null).toBeNull();
    // The order's quote is answered only to who may see the quote.
    const [order] = (await dbRows(stack, 'cart', 'select id from "cart"."customer_order" where source_id = ?', [quote.id])) as {
      id: string;
    }[];
    const ORDER = 'query ($id: ID!) { order(id: $id) { id quote { id } } }';
    expect((await as.aoife(ORDER, { id: order?.id })).body.data?.order).toEqual({ id: order?.id, quote: { id: quote.id } });
  });
});

describe('agreed prices at the cart', () => {
  const PLACE = `mutation ($input: OrderPlaceForSaleInput!) { orderPlaceForSale(input: $input) { order { id totals { dueNow { amount } } } userErrors { code } } }`;
  const place = async (principal: Principal, input: Record<string, unknown>) => {
    const body = { query: PLACE, variables: { input } };
    const handler = stack.subgraphs.find((s) => s.definition.name === 'cart')?.server.handler as Parameters<typeof request>[0];
    return (
      await request(handler)
        .post('/graphql')
        .set(signedHeaders(principal, 'cart', body))
        .send(body)
    ).body;
  };
  const sale = (sourceId: string) => ({
    customerId: seedId('customer', 'aoife'),
    lines: [
      {
        productId: PLAN,
        quantity: 1,
        agreed: { recurring: '0.01', oneOff: null, deposit: null, discountOneOff: '0', discountRecurring: '0' },
      },
    ],
    source: { kind: 'QUOTE', id: sourceId },
    idempotencyKey: `quote:${sourceId}:r1`,
    actedBy: seedId('customer', 'aoife'),
  });

  it('a service without order:agreed-prices (the opportunity service) cannot set prices: FORBIDDEN, nothing ordered', async () => {
    const sourceId = randomUUID();
    const answer = await place(
      servicePrincipal('opportunity', seedId('storefront', 'volt'), [SERVICE_SCOPES.orderPlaceForSale]),
      sale(sourceId),
    );
    expect(answer.data?.orderPlaceForSale).toMatchObject({ order: null, userErrors: [{ code: 'FORBIDDEN' }] });
    expect(await dbRows(stack, 'cart', 'select id from "cart"."customer_order" where source_id = ?', [sourceId])).toEqual([]);
  });
});
