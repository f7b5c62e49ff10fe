import { randomUUID } from 'node:crypto';
import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, succeeded } from './support/brand-matrix.js';
import { customerId, productId, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * Quote acceptance (TMF648 accepted) through the router: the customer accepts their own approved quote
 * → an order in the cart with the QUOTE source at the quote's prices and totals (its approved discount
 * honoured) and, for a quote with contract terms, a contract waiting for approval; the same key again →
 * the same order; an expired quote → QUOTE_EXPIRED and nothing ordered; staff (assisted sale) and a
 * partner for its account accept too; customers and partner users who submitted are told of the decision.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const AOIFE = customerId('aoife');
const NIAMH = customerId('connectify-one');
const PLAN = productId('volt-sim-5gb');
const TEMPLATE = seedId('contract-template', 'volt-12');

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', 'dcrm_pk_volt_demo_3f9c1a7e5b2d4c8a')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
});
afterAll(() => stack.stop());

const sql = (subgraph: string, text: string, params: unknown[] = []) =>
  dbRows(stack, subgraph, text, params) as Promise<Record<string, unknown>[]>;

const QUOTE = 'id status version totals { dueNow { amount } monthly { amount } }';
const CREATE = `mutation ($input: QuoteCreateInput!) { quoteCreate(input: $input) { quote { ${QUOTE} } userErrors { code field } } }`;
const SUBMIT = `mutation ($id: ID!, $version: Int!) { quoteSubmit(id: $id, version: $version) { quote { ${QUOTE} } userErrors { code } } }`;
const ACCEPT = `mutation ($id: ID!, $version: Int!, $key: String!) { quoteAccept(id: $id, version: $version, idempotencyKey: $key) {
  quote { ${QUOTE} acceptance { acceptedByKind } order { id } contract { id status monthlyFee { amount } quoteId order { id } } }
  userErrors { code field message } } }`;

type Quote = { id: string; status: string; version: number; totals: { dueNow: { amount: string }; monthly: { amount: string } } };

/** A quote created and submitted by `gql` (one plan, no discount or a small one: no approval rule matches) → APPROVED. */
async function approvedQuote(gql: Gql, input: Record<string, unknown>): Promise<Quote> {
  const created = succeeded(await gql(CREATE, { input: { lines: [{ productId: PLAN }], ...input } }), 'quoteCreate').quote as Quote;
  const submitted = succeeded(await gql(SUBMIT, { id: created.id, version: created.version }), 'quoteSubmit').quote as Quote;
  expect(submitted.status).toBe('APPROVED');
  return submitted;
}

const accept = (gql: Gql, q: { id: string; version: number }, key: string = randomUUID()) =>
  gql(ACCEPT, { id: q.id, version: q.version, key });
const ordersOf = (quoteId: string) =>
  sql('cart', `select id, source_kind, customer_id, totals from "cart"."customer_order" where source_id = ? order by id`, [quoteId]);

describe('quoteAccept', () => {
  it('the customer accepts their own quote: an order at the quote’s totals (discount honoured) and a contract', async () => {
    const quote = await approvedQuote(as.consumerAgent, {
      customerId: AOIFE,
      contractTemplateId: TEMPLATE,
      discount: { type: 'PERCENT', value: '10' },
    });
    const key = randomUUID();
    const accepted = succeeded(await accept(as.aoife, quote, key), 'quoteAccept').quote;
    expect(accepted).toMatchObject({ id: quote.id, status: 'ACCEPTED', acceptance: { acceptedByKind: 'customer' } });
    const [order, ...more] = await ordersOf(quote.id);
    expect(more).toEqual([]);
    expect(order).toMatchObject({ id: accepted.order.id, source_kind: 'QUOTE', customer_id: AOIFE });
    const totals = order?.totals as { dueNow: string; monthly: string };
    expect([totals.dueNow, totals.monthly]).toEqual([quote.totals.dueNow.amount, quote.totals.monthly.amount]);
    // 9.99 a month less 10%: the contract charges what was agreed, and waits for its approver.
    expect(accepted.contract).toMatchObject({ status: 'PENDING_APPROVAL', quoteId: quote.id, monthlyFee: { amount: '8.99' } });
    expect(accepted.contract.order).toEqual({ id: order?.id });
    const [contract] = await sql('quote', 'select order_id, quote_id from "quote"."contract" where id = ?', [accepted.contract.id]);
    expect(contract).toEqual({ order_id: order?.id, quote_id: quote.id });
    const events = await sql(
      'quote',
      `select payload from "quote"."outbox" where type = 'dcrm.quote.accepted' and payload->>'quoteId' = ?`,
      [quote.id],
    );
    expect(events.map((e) => (e.payload as { orderId: string }).orderId)).toEqual([order?.id]);

    // The audit trail records who accepted: the acceptance and the quote's status change, as the customer.
    const audit = await sql(
      'quote',
      `select entity_type, action, actor_kind, actor_id from "quote"."audit_record" where entity_id = ? and entity_type = 'QuoteAcceptance' order by id`,
      [quote.id],
    );
    expect(audit[0]).toEqual({ entity_type: 'QuoteAcceptance', action: 'CREATE', actor_kind: 'customer', actor_id: AOIFE });
    // The same key again: the same answer, still one order.
    const again = succeeded(await accept(as.aoife, quote, key), 'quoteAccept').quote;
    expect(again.order.id).toBe(order?.id);
    expect(await ordersOf(quote.id)).toHaveLength(1);
    // Another key once accepted: refused, nothing more ordered.
    expect((await accept(as.aoife, { id: quote.id, version: again.version })).body.data?.quoteAccept.userErrors[0].code).toBe(
      'ALREADY_ACCEPTED',
    );
    expect(await ordersOf(quote.id)).toHaveLength(1);
    // The order knows its quote.
    const read = await as.aoife(`query ($id: ID!) { quote(id: $id) { order { id quote { id status } } } }`, { id: quote.id });
    expect(read.body.data?.quote.order).toEqual({ id: order?.id, quote: { id: quote.id, status: 'ACCEPTED' } });
  });

  it('a customer’s own quote: they are told it was approved, then accepted; no contract without terms', async () => {
    const quote = await approvedQuote(as.aoife, {});
    const accepted = succeeded(await accept(as.aoife, quote), 'quoteAccept').quote;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', contract: null });
    const [{ number }] = await sql('quote', 'select number from "quote"."quote" where id = ?', [quote.id]);
    const notices = await sql(
      'quote',
      `select template_key from "quote"."notify_outbox" where customer_id = ? and variables->>'quoteNumber' = ? order by created_at, template_key`,
      [AOIFE, number],
    );
    expect(notices.map((n) => n.template_key)).toEqual(['quote.customerDecided', 'quote.customerAccepted']);
  });

  it('parallel accepts with one key make one order', async () => {
    const quote = await approvedQuote(as.aoife, {});
    const key = randomUUID();
    const results = await Promise.all([accept(as.aoife, quote, key), accept(as.aoife, quote, key)]);
    const orders = await ordersOf(quote.id);
    expect(orders).toHaveLength(1);
    for (const r of results) {
      const payload = r.body.data?.quoteAccept;
      // One wins; the other answers the same acceptance or (having read the old version) a conflict.
      if (payload.quote) expect(payload.quote.order.id).toBe(orders[0]?.id);
      else expect(payload.userErrors[0].code).toBe('CONFLICT');
    }
  });

  it('an expired quote is QUOTE_EXPIRED: nothing ordered, nothing changed', async () => {
    const quote = await approvedQuote(as.aoife, {});
    await sql(
      'quote',
      `update "quote"."quote" set valid_from = now() - interval '2 minutes', valid_until = now() - interval '1 minute' where id = ?`,
      [quote.id],
    );
    const before = await sql('quote', 'select status, version from "quote"."quote" where id = ?', [quote.id]);
    const res = await accept(as.aoife, quote);
    expect(res.body.data?.quoteAccept.userErrors[0]).toMatchObject({ code: 'QUOTE_EXPIRED', field: ['id'] });
    expect(await ordersOf(quote.id)).toEqual([]);
    expect(await sql('quote', 'select status, version from "quote"."quote" where id = ?', [quote.id])).toEqual(before);
    expect(await sql('quote', 'select * from "quote"."quote_acceptance" where quote_id = ?', [quote.id])).toEqual([]);
  });

  it('a draft, a stale version and a short key are refused', async () => {
    const draft = succeeded(await as.aoife(CREATE, { input: { lines: [{ productId: PLAN }] } }), 'quoteCreate').quote as Quote;
    expect((await accept(as.aoife, draft)).body.data?.quoteAccept.userErrors[0].code).toBe('INVALID_STATUS');
    const quote = await approvedQuote(as.aoife, {});
    expect((await accept(as.aoife, { id: quote.id, version: quote.version - 1 })).body.data?.quoteAccept.userErrors[0].code).toBe(
      'CONFLICT',
    );
    expect((await accept(as.aoife, quote, 'short')).body.data?.quoteAccept.userErrors[0].code).toBe('INVALID');
    expect(await ordersOf(quote.id)).toEqual([]);
  });

  it('staff accept on the customer’s behalf (recorded); a partner accepts for its account', async () => {
    const assisted = await approvedQuote(as.consumerAgent, { customerId: AOIFE });
    const byStaff = succeeded(await accept(as.consumerAgent, assisted), 'quoteAccept').quote;
    expect(byStaff).toMatchObject({ status: 'ACCEPTED', acceptance: { acceptedByKind: 'staff' } });
    expect(await ordersOf(assisted.id)).toHaveLength(1);

    const partnered = await approvedQuote(as.connectify, { customerId: NIAMH });
    const byPartner = succeeded(await accept(as.connectify, partnered), 'quoteAccept').quote;
    expect(byPartner).toMatchObject({ status: 'ACCEPTED', acceptance: { acceptedByKind: 'partner' } });
    expect(await ordersOf(partnered.id)).toMatchObject([{ customer_id: NIAMH, source_kind: 'QUOTE' }]);
    // The partner user who submitted it is told by email: approved, then accepted.
    const [{ number }] = await sql('quote', 'select number from "quote"."quote" where id = ?', [partnered.id]);
    const told = await sql(
      'customer',
      `select s.template_key, s.channel, s.status, s.recipient from "customer"."notification_sent" s
       join "customer"."partner_user" u on u.id = s.partner_user_id where u.email = ? and s.body like ? order by s.created_at, s.template_key`,
      ['ops@connectify.example', `%${number}%`],
    );
    expect(told).toEqual([
      { template_key: 'quote.customerDecided', channel: 'EMAIL', status: 'SENT', recipient: 'ops@connectify.example' },
      { template_key: 'quote.customerAccepted', channel: 'EMAIL', status: 'SENT', recipient: 'ops@connectify.example' },
    ]);
  });

  it('an acceptance a crash left begun is completed by the sweep; a crash after the order was placed orders nothing twice', async () => {
    const quote = await approvedQuote(as.aoife, {});
    const [{ revision }] = await sql('quote', 'select revision from "quote"."quote" where id = ?', [quote.id]);
    const key = randomUUID();
    // Begun two minutes ago, before the cart was asked: the process died there.
    await sql(
      'quote',
      `insert into "quote"."quote_acceptance" (quote_id, storefront_id, idempotency_key, order_key, status, actor_kind, actor_id, started_at)
       values (?, ?, ?, ?, 'PENDING', 'customer', ?, now() - interval '2 minutes')`,
      [quote.id, seedId('storefront', 'volt'), key, `quote:${quote.id}:r${revision}`, AOIFE],
    );
    const quoteSubgraph = stack.subgraphs.find((s) => s.definition.name === 'quote') as Stack['subgraphs'][number];
    await quoteSubgraph.server.tasks['contract:renewal-sweep']?.();
    const [order] = await ordersOf(quote.id);
    expect(await sql('quote', 'select status from "quote"."quote" where id = ?', [quote.id])).toEqual([{ status: 'ACCEPTED' }]);
    // Now as if the recording transaction had rolled back after the cart placed the order.
    await sql('quote', `update "quote"."quote" set status = 'APPROVED' where id = ?`, [quote.id]);
    await sql('quote', `update "quote"."quote_acceptance" set status = 'PENDING', order_id = null, accepted_at = null where quote_id = ?`, [
      quote.id,
    ]);
    const retried = succeeded(await accept(as.aoife, quote, key), 'quoteAccept').quote;
    expect(retried).toMatchObject({ status: 'ACCEPTED', order: { id: order?.id } });
    expect(await ordersOf(quote.id)).toHaveLength(1);
  });
});
