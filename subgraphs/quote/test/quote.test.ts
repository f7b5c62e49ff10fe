import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { codes, KEYS, type Response, signIn, startTestStack } from '../../../tests/support/stack.js';

/** Quotes through the router: who sees which, the 360° field, expiry, internal notes and the priced snapshot. */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const quoteId = (key: string) => seedId('quote', key);

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.conor = (await signIn(h, 'customerLogin', 'conor@example.com', KEYS.volt)).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.manager = (await signIn(h, 'staffLogin', 'manager@volt.example')).gql;
  as.catalogAdmin = (await signIn(h, 'staffLogin', 'admin@dcrm.example')).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
});
afterAll(() => stack.stop());

const LIST = '{ quotes(first: 100) { nodes { id } } }';
const listed = async (gql: Gql) => ((await gql(LIST)).body.data!.quotes.nodes as { id: string }[]).map((q) => q.id);
const byId = (gql: Gql, id: string) => gql('query ($id: ID!) { quote(id: $id) { id number } }', { id });

describe('who sees which quote', () => {
  it('a customer sees their own quotes only, by list and by id', async () => {
    expect(await listed(as.aoife)).toContain(quoteId('aoife-1'));
    expect(await listed(as.conor)).not.toContain(quoteId('aoife-1'));
    expect((await byId(as.aoife, quoteId('aoife-1'))).body.data?.quote.id).toBe(quoteId('aoife-1'));
    const other = await byId(as.conor, quoteId('aoife-1'));
    expect(other.body.data?.quote ?? null).toBeNull();
    expect(codes(other)).toEqual(['NOT_FOUND']);
  });

  it('staff see the quotes of their segments (prospects too), with quote:read', async () => {
    const consumer = await listed(as.consumerAgent);
    expect(consumer).toEqual(expect.arrayContaining([quoteId('aoife-1'), quoteId('niamh-1')]));
    expect(consumer).not.toContain(quoteId('acme-1'));
    expect(consumer).not.toContain(quoteId('prospect-1'));
    const business = await listed(as.businessAgent);
    expect(business).toEqual(expect.arrayContaining([quoteId('acme-1'), quoteId('prospect-1')]));
    expect(business).not.toContain(quoteId('aoife-1'));
    expect(await listed(as.manager)).toEqual(expect.arrayContaining([quoteId('aoife-1'), quoteId('acme-1'), quoteId('prospect-1')]));
    // Another brand's quotes are never listed.
    expect(await listed(as.manager)).not.toContain(quoteId('oliver-1'));
  });

  it('staff without quote:read are refused', async () => {
    expect(codes(await as.catalogAdmin(LIST))).toContain('FORBIDDEN');
  });

  it("a partner sees its accounts' quotes only", async () => {
    expect(await listed(as.connectify)).toEqual([quoteId('niamh-1')]);
    expect(await listed(as.skyline)).toEqual([]);
  });
});

describe('a quote', () => {
  it('shows its priced snapshot: line and quote discounts, tax, due now and monthly', async () => {
    const res = await as.aoife(
      `query ($id: ID!) { quote(id: $id) { number revision status expired currencyCode discount { type value }
        lines { name quantity parentLineId discount { type value } recurringPrice { amount } discountRecurring { amount } }
        totals { subtotalRecurring { amount } recurringDiscounts { amount } taxRecurring { amount } monthly { amount } dueNow { amount } } } }`,
      { id: quoteId('aoife-1') },
    );
    expect(res.body.errors).toBeUndefined();
    const quote = res.body.data?.quote;
    expect(quote).toMatchObject({ revision: 1, status: 'DRAFT', expired: false, currencyCode: 'EUR', discount: null });
    expect(quote.lines[0]).toMatchObject({ name: 'Volt Unlimited 5G', discount: { type: 'PERCENT', value: '10.00' } });
    expect(quote.lines[0].discountRecurring.amount).toBe('3.00');
    expect(quote.lines[1].parentLineId).not.toBeNull();
    // 29.99 + 4.99 = 34.98; 10% of 29.99 = 3.00; tax 23% per line on 26.99 (6.21) and 4.99 (1.15).
    expect(quote.totals).toEqual({
      subtotalRecurring: { amount: '34.98' },
      recurringDiscounts: { amount: '3.00' },
      taxRecurring: { amount: '7.36' },
      monthly: { amount: '39.34' },
      dueNow: { amount: '0.00' },
    });
  });

  it('says when it has expired', async () => {
    const res = await as.connectify('query ($id: ID!) { quote(id: $id) { expired status } }', { id: quoteId('niamh-1') });
    expect(res.body.data?.quote).toEqual({ expired: true, status: 'APPROVED' });
  });

  it('keeps its internal note from customers and partners', async () => {
    const query = 'query ($id: ID!) { quote(id: $id) { id internalNote } }';
    const staff = await as.manager(query, { id: quoteId('aoife-1') });
    expect(staff.body.data?.quote.internalNote).toMatch(/roaming/);
    // Outside staff's schema view the field does not exist.
    for (const gql of [as.aoife, as.connectify]) {
      const res = await gql(query, { id: quoteId('aoife-1') });
      expect(res.body.data ?? null).toBeNull();
      expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
  });

  it('is on the account (Customer.quotes, 360°)', async () => {
    const res = await as.aoife('{ me { quotes(first: 10) { nodes { id } } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.me.quotes.nodes.map((q: { id: string }) => q.id)).toContain(quoteId('aoife-1'));
  });
});
