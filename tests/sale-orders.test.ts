import { randomUUID } from 'node:crypto';
import { forAccount, newId, type Principal, SERVICE_SCOPES, seedId, servicePrincipal } from '@dcrm/kit';
import { signedHeaders } from '@dcrm/kit/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { customerId, productId, type Response, STOREFRONT_IDS, signIn, startTestStack } from './support/stack.js';

/**
 * A won opportunity becomes an order (the CAF) through the cart's service-only `orderPlaceForSale`:
 * priced by the catalog as the account pays (its B2B list), exactly once per key, refused for unsold
 * products, opportunities not won, prospects and other partners' opportunities; `Opportunity.order`
 * and `Order.opportunity` through the router.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
let business: Gql;
let consumer: Gql;
let connectify: Gql;
let skyline: Gql;

const VOLT = STOREFRONT_IDS.volt;
const ACME = customerId('acme-telecom-buyers');
const PLAN = productId('volt-sim-unlimited');
const NIMBUS_PLAN = productId('nimbus-fibre-75');
const CONNECTIFY = seedId('partner', 'connectify');

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  business = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  consumer = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
});
afterAll(() => stack.stop());

const sql = (subgraph: string, text: string, params: unknown[] = []) =>
  dbRows(stack, subgraph, text, params) as Promise<Record<string, unknown>[]>;

/** An opportunity of our own (never a seeded one), with lines straight in its table. */
async function opportunityOf(fields: {
  customerId?: string | null;
  segment?: string;
  status?: string;
  stage?: string;
  partnerId?: string | null;
  lines?: [string, number][];
}): Promise<string> {
  const id = newId();
  await sql(
    'opportunity',
    `insert into "opportunity"."opportunity" (id, storefront_id, customer_id, partner_id, segment, name, stage, status, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, now(), now())`,
    [
      id,
      VOLT,
      fields.customerId === undefined ? ACME : fields.customerId,
      fields.partnerId ?? null,
      fields.segment ?? 'smb',
      `Sale test ${id.slice(0, 8)}`,
      fields.stage ?? 'WON',
      fields.status ?? 'WON',
    ],
  );
  // The pipeline's priced lines, with a stale snapshot (0.01): the cart must re-price, never use it.
  for (const [position, [product, quantity]] of (fields.lines ?? [[PLAN, 2]]).entries()) {
    await sql(
      'opportunity',
      `insert into "opportunity"."opportunity_line" (id, opportunity_id, storefront_id, product_id, name, kind, quantity, position,
         one_off, monthly, currency, created_at, updated_at) values (?, ?, ?, ?, 'Stale snapshot', 'PLAN', ?, ?, 0.01, 0.01, 'EUR', now(), now())`,
      [newId(), id, VOLT, product, quantity, position],
    );
  }
  return id;
}

const CONVERT = `mutation ($id: ID!, $key: String!) { opportunityConvert(id: $id, idempotencyKey: $key) {
  opportunity { id order { id number source { kind id } lines { product { id } quantity recurringPrice { amount } } } }
  userErrors { code field message } } }`;
const convert = (gql: Gql, id: string, key: string = randomUUID()) => gql(CONVERT, { id, key });
const payloadOf = (res: Response) => res.body.data?.opportunityConvert;
const refusal = (res: Response) => payloadOf(res)?.userErrors?.[0]?.code ?? res.body.errors?.[0]?.extensions?.code;
const acmePrice = async () =>
  (await sql('catalog', 'select amount from "catalog"."price" where id = ?', [seedId('price', `volt:acme:volt-sim-unlimited`)]))[0]
    ?.amount as string;

/** Straight to the cart subgraph, signed as a service (the way opportunity and quote call it). */
const PLACE = `mutation ($input: OrderPlaceForSaleInput!) { orderPlaceForSale(input: $input) {
  order { id number lines { productId: product { id } quantity recurringPrice { amount } } } userErrors { code field } } }`;
async function placeForSale(principal: Principal, input: Record<string, unknown>) {
  const body = { query: PLACE, variables: { input } };
  const handler = stack.subgraphs.find((s) => s.definition.name === 'cart')?.server.handler as Parameters<typeof request>[0];
  const res = await request(handler)
    .post('/graphql')
    .set(signedHeaders(principal, 'cart', body))
    .send(body);
  return res.body as { data?: { orderPlaceForSale: { order: { id: string } | null; userErrors: { code: string }[] } }; errors?: unknown[] };
}
const sale = (overrides: Record<string, unknown> = {}) => ({
  customerId: ACME,
  lines: [{ productId: PLAN, quantity: 1 }],
  source: { kind: 'QUOTE', id: newId() },
  idempotencyKey: `quote:${randomUUID()}`,
  actedBy: newId(),
  ...overrides,
});
const asOpportunity = servicePrincipal('opportunity', VOLT, [SERVICE_SCOPES.orderPlaceForSale]);

describe('opportunityConvert', () => {
  it('orders a won opportunity at the account’s B2B price; Opportunity.order and Order.opportunity', async () => {
    const id = await opportunityOf({});
    const res = await convert(business, id);
    expect(payloadOf(res)?.userErrors, JSON.stringify(res.body)).toEqual([]);
    const order = payloadOf(res).opportunity.order;
    expect(order.source).toEqual({ kind: 'OPPORTUNITY', id });
    expect(order.lines).toEqual([{ product: { id: PLAN }, quantity: 2, recurringPrice: { amount: await acmePrice() } }]);
    const [row] = await sql('cart', 'select cart_id, placed_by, segment, customer_id from "cart"."customer_order" where id = ?', [
      order.id,
    ]);
    expect(row).toMatchObject({ cart_id: null, segment: 'smb', customer_id: ACME });
    expect(row?.placed_by).toBeTruthy();
    const back = await business('query ($id: ID!) { order(id: $id) { opportunity { id } } }', { id: order.id });
    expect(back.body.data?.order.opportunity).toEqual({ id });
    const outbox = await sql('cart', `select count(*)::int as n from "cart"."outbox" where payload->>'orderId' = ?`, [order.id]);
    expect(outbox[0]?.n).toBe(1);
  });

  it('is idempotent: twice → one order; racing twice → one order', async () => {
    const once = await opportunityOf({});
    const first = payloadOf(await convert(business, once, 'key-once-123'));
    const again = payloadOf(await convert(business, once, 'key-once-123'));
    expect(again.opportunity.order.id).toBe(first.opportunity.order.id);
    const raced = await opportunityOf({});
    const [a, b] = await Promise.all([convert(business, raced), convert(business, raced)]);
    expect(payloadOf(a).userErrors).toEqual([]);
    expect(payloadOf(b).userErrors).toEqual([]);
    expect(payloadOf(a).opportunity.order.id).toBe(payloadOf(b).opportunity.order.id);
    const orders = await sql('cart', 'select count(*)::int as n from "cart"."customer_order" where source_id = ?', [raced]);
    expect(orders[0]?.n).toBe(1);
    const outbox = await sql('cart', `select count(*)::int as n from "cart"."outbox" where payload->>'orderId' = ?`, [
      payloadOf(a).opportunity.order.id,
    ]);
    expect(outbox[0]?.n).toBe(1);
  });

  it('refuses an unsold product, an opportunity not won, a prospect, and another segment’s or partner’s', async () => {
    expect(refusal(await convert(business, await opportunityOf({ lines: [[NIMBUS_PLAN, 1]] })))).toBe('UNAVAILABLE');
    expect(refusal(await convert(business, await opportunityOf({ status: 'OPEN', stage: 'NEGOTIATION' })))).toBe('NOT_WON');
    const prospect = await opportunityOf({ customerId: null });
    const res = await convert(business, prospect);
    expect(refusal(res)).toBe('NO_CUSTOMER');
    expect(payloadOf(res).userErrors[0].message).toMatch(/customer account/);
    expect(refusal(await convert(consumer, await opportunityOf({})))).toBe('NOT_FOUND');
    const partnered = await opportunityOf({ customerId: customerId('connectify-one'), segment: 'consumer', partnerId: CONNECTIFY });
    expect(refusal(await convert(skyline, partnered))).toBe('NOT_FOUND');
    const none = await sql('cart', 'select count(*)::int as n from "cart"."customer_order" where source_id = ?', [partnered]);
    expect(none[0]?.n).toBe(0);
    const own = await convert(connectify, partnered);
    expect(payloadOf(own).userErrors).toEqual([]);
    const [order] = await sql('cart', 'select partner_id from "cart"."customer_order" where source_id = ?', [partnered]);
    expect(order?.partner_id).toBe(CONNECTIFY);
  });

  it('lines are the pipeline’s (opportunityUpdate) and no longer change once ordered', async () => {
    const id = await opportunityOf({});
    expect(payloadOf(await convert(business, id)).userErrors).toEqual([]);
    const [row] = await sql('opportunity', 'select version from "opportunity"."opportunity" where id = ?', [id]);
    const UPDATE = `mutation ($input: OpportunityUpdateInput!) { opportunityUpdate(input: $input) { userErrors { code } } }`;
    const changed = await business(UPDATE, { input: { id, version: row?.version, lines: [{ productId: PLAN, quantity: 3 }] } });
    expect(changed.body.data?.opportunityUpdate.userErrors).toEqual([{ code: 'CONVERTED' }]);
    const lines = await sql('opportunity', 'select quantity from "opportunity"."opportunity_line" where opportunity_id = ?', [id]);
    expect(lines).toEqual([{ quantity: 2 }]);
  });
});

describe('orderPlaceForSale (cart, service-only)', () => {
  it('same key, same order; the same key with another payload is IDEMPOTENCY_KEY_REUSED', async () => {
    const input = sale();
    const first = (await placeForSale(asOpportunity, input)).data?.orderPlaceForSale;
    expect(first?.userErrors).toEqual([]);
    const again = (await placeForSale(asOpportunity, { ...input, actedBy: newId() })).data?.orderPlaceForSale;
    expect(again?.order?.id).toBe(first?.order?.id);
    const other = (await placeForSale(asOpportunity, { ...input, lines: [{ productId: PLAN, quantity: 5 }] })).data?.orderPlaceForSale;
    expect(other?.userErrors).toEqual([{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'] }]);
  });

  it('racing twice with one key places one order', async () => {
    const input = sale();
    const results = await Promise.all([placeForSale(asOpportunity, input), placeForSale(asOpportunity, input)]);
    const ids = results.map((r) => r.data?.orderPlaceForSale.order?.id);
    expect(ids[0]).toBeTruthy();
    expect(ids[1]).toBe(ids[0]);
    const rows = await sql('cart', 'select count(*)::int as n from "cart"."customer_order" where source_id = ?', [input.source.id]);
    expect(rows[0]?.n).toBe(1);
  });

  it('is refused without its scope; a caller cannot price for an account without pricing:account', async () => {
    const unscoped = await placeForSale(servicePrincipal('opportunity', VOLT, []), sale());
    expect(unscoped.data?.orderPlaceForSale ?? null).toBeNull();
    expect(JSON.stringify(unscoped.errors)).toContain('FORBIDDEN');
    // The account a service carries is honoured by catalog only with pricing:account.
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Product { prices { type amount { amount } } } } }`;
    const body = { query, variables: { reps: [{ __typename: 'Product', id: PLAN }] } };
    const catalog = stack.subgraphs.find((s) => s.definition.name === 'catalog')?.server.handler as Parameters<typeof request>[0];
    const priced = async (principal: Principal) =>
      (
        await request(catalog)
          .post('/graphql')
          .set(signedHeaders(principal, 'catalog', body))
          .send(body)
      ).body.data?._entities[0].prices.find((p: { type: string }) => p.type === 'RECURRING').amount.amount as string;
    const account = { customerId: ACME, segment: 'smb' };
    expect(await priced(forAccount(servicePrincipal('cart', VOLT, [SERVICE_SCOPES.accountPricing]), account))).toBe(await acmePrice());
    expect(await priced(forAccount(servicePrincipal('cart', VOLT, []), account))).not.toBe(await acmePrice());
  });
});
