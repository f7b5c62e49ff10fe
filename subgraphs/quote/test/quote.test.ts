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
    // Test files running beside this one may add quotes for Connectify's accounts: each listed must be one of them.
    const nodes = (await as.connectify('{ quotes(first: 100) { nodes { id customer { id } } } }')).body.data!.quotes.nodes as {
      id: string;
      customer: { id: string } | null;
    }[];
    expect(nodes.map((q) => q.id)).toContain(quoteId('niamh-1'));
    const accounts = [seedId('customer', 'connectify-one'), seedId('customer', 'connectify-two')];
    expect(nodes.filter((q) => !accounts.includes(q.customer?.id ?? ''))).toEqual([]);
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
    const res = await as.aoife('{ me { quotes(first: 100) { nodes { id } } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.me.quotes.nodes.map((q: { id: string }) => q.id)).toContain(quoteId('aoife-1'));
  });
});

const product = (slug: string) => seedId('product', slug);
const customer = (key: string) => seedId('customer', key);
const FIELDS = `id number revision status version segment promoCodes customer { id } prospect { name company }
  discount { type value }
  lines { id name quantity parentLineId product { id } discount { type value } recurringPrice { amount } discountRecurring { amount } }
  promotions { promotionId couponCode recurring { amount } lineIds }
  totals { subtotalRecurring { amount } recurringDiscounts { amount } taxRecurring { amount } monthly { amount } dueNow { amount } }`;
const CREATE = `mutation ($input: QuoteCreateInput!) { quoteCreate(input: $input) { quote { ${FIELDS} } userErrors { code field message } } }`;
const UPDATE = `mutation ($input: QuoteUpdateInput!) { quoteUpdate(input: $input) { quote { ${FIELDS} } userErrors { code field message } } }`;
const ADD = `mutation ($input: QuoteLinesAddInput!) { quoteLinesAdd(input: $input) { quote { ${FIELDS} } userErrors { code field message } } }`;
const REMOVE = `mutation ($input: QuoteLinesRemoveInput!) { quoteLinesRemove(input: $input) { quote { ${FIELDS} } userErrors { code field message } } }`;

const PLAN_WITH_ROAMING = {
  productId: product('volt-sim-unlimited'),
  discount: { type: 'PERCENT', value: '10' },
  addOns: [{ productId: product('eu-roaming-pass') }],
};

async function created(gql: Gql, input: Record<string, unknown>) {
  const res = await gql(CREATE, { input });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.quoteCreate.userErrors).toEqual([]);
  return res.body.data?.quoteCreate.quote;
}

describe('quoteCreate', () => {
  it('staff quote a plan with an add-on for an account, priced by the catalog, with line and quote discounts', async () => {
    const quote = await created(as.consumerAgent, {
      customerId: customer('aoife'),
      lines: [PLAN_WITH_ROAMING],
      discount: { type: 'AMOUNT', value: '5.00' },
      internalNote: 'Retention offer',
    });
    expect(quote).toMatchObject({ revision: 1, status: 'DRAFT', version: 1, segment: 'consumer', customer: { id: customer('aoife') } });
    expect(quote.number).toMatch(/^Q-\d{4}-\d{6}$/);
    expect(quote.lines.map((l: { name: string }) => l.name)).toEqual(['Volt Unlimited 5G', 'EU Roaming Plus']);
    expect(quote.lines[1].parentLineId).toBe(quote.lines[0].id);
    // 10% of 29.99 = 3.00; €5 shared over what is left (26.99 : 4.99) = 4.22 + 0.78.
    expect(quote.lines.map((l: { discountRecurring: { amount: string } }) => l.discountRecurring.amount)).toEqual(['7.22', '0.78']);
    expect(quote.totals).toEqual({
      subtotalRecurring: { amount: '34.98' },
      recurringDiscounts: { amount: '8.00' },
      taxRecurring: { amount: '6.21' },
      monthly: { amount: '33.19' },
      dueNow: { amount: '0.00' },
    });
  });

  it("prices a business account's quote with its negotiated price list", async () => {
    const forAcme = await created(as.businessAgent, {
      customerId: customer('acme-telecom-buyers'),
      lines: [{ productId: product('volt-sim-5gb') }],
    });
    expect(Number(forAcme.lines[0].recurringPrice.amount)).toBeLessThan(9.99);
    const forAoife = await created(as.consumerAgent, { customerId: customer('aoife'), lines: [{ productId: product('volt-sim-5gb') }] });
    expect(forAoife.lines[0].recurringPrice.amount).toBe('9.99');
  });

  it('staff quote a prospect of one of their segments', async () => {
    const input = {
      prospect: { name: 'Dara Quinn', company: 'Quinn Logistics' },
      segment: 'smb',
      lines: [{ productId: product('volt-sim-5gb') }],
    };
    const quote = await created(as.businessAgent, input);
    expect(quote).toMatchObject({ customer: null, prospect: { name: 'Dara Quinn', company: 'Quinn Logistics' }, segment: 'smb' });
    const refused = await as.consumerAgent(CREATE, { input });
    expect(refused.body.data?.quoteCreate.userErrors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN', field: ['input', 'segment'] }),
    ]);
  });

  it('applies promotion codes through the promotion subgraph', async () => {
    const quote = await created(as.consumerAgent, {
      customerId: customer('aoife'),
      promoCodes: ['data50'],
      lines: [{ productId: product('volt-sim-unlimited') }],
    });
    expect(quote.promoCodes).toEqual(['DATA50']);
    expect(quote.promotions).toEqual([expect.objectContaining({ couponCode: 'DATA50', lineIds: [quote.lines[0].id] })]);
    expect(quote.totals.recurringDiscounts.amount).toBe(quote.promotions[0].recurring.amount);
  });

  it('customers quote for themselves without discounts; partners for their accounts only', async () => {
    const own = await created(as.aoife, { lines: [{ productId: product('volt-sim-5gb') }] });
    expect(own.customer).toEqual({ id: customer('aoife') });
    const discounted = await as.aoife(CREATE, {
      input: { lines: [{ productId: product('volt-sim-5gb') }], discount: { type: 'PERCENT', value: '50' } },
    });
    expect(discounted.body.data?.quoteCreate.userErrors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN', field: ['input', 'discount'] }),
    ]);
    const other = await as.aoife(CREATE, { input: { customerId: customer('conor'), lines: [{ productId: product('volt-sim-5gb') }] } });
    expect(other.body.data?.quoteCreate.userErrors[0].code).toBe('NOT_FOUND');
    const partner = await created(as.connectify, {
      customerId: customer('connectify-one'),
      lines: [{ productId: product('volt-sim-5gb') }],
    });
    expect(partner.customer).toEqual({ id: customer('connectify-one') });
    const foreign = await as.skyline(CREATE, {
      input: { customerId: customer('connectify-one'), lines: [{ productId: product('volt-sim-5gb') }] },
    });
    expect(foreign.body.data?.quoteCreate.userErrors[0].code).toBe('NOT_FOUND');
  });

  it('refuses add-ons that are not the plan’s, unknown products and bad discounts', async () => {
    const res = await as.consumerAgent(CREATE, {
      input: {
        customerId: customer('aoife'),
        lines: [
          {
            productId: product('volt-sim-5gb'),
            addOns: [{ productId: product('device-insurance') }],
            discount: { type: 'PERCENT', value: '120' },
          },
        ],
      },
    });
    expect(res.body.data?.quoteCreate.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: ['input', 'lines', '0', 'discount', 'value'] }),
    ]);
    const incompatible = await as.consumerAgent(CREATE, {
      input: {
        customerId: customer('aoife'),
        lines: [{ productId: product('volt-sim-5gb'), addOns: [{ productId: product('device-insurance') }] }],
      },
    });
    expect(incompatible.body.data?.quoteCreate.userErrors).toEqual([
      expect.objectContaining({ code: 'INCOMPATIBLE', field: ['input', 'lines', '0', 'addOns', '0', 'productId'] }),
    ]);
    const unknown = await as.consumerAgent(CREATE, {
      input: { customerId: customer('aoife'), lines: [{ productId: product('nimbus-fibre-150') }] },
    });
    expect(unknown.body.data?.quoteCreate.userErrors[0].code).toBe('NOT_SOLD');
  });

  it('staff without quote:write cannot create', async () => {
    const res = await as.catalogAdmin(CREATE, {
      input: { customerId: customer('aoife'), lines: [{ productId: product('volt-sim-5gb') }] },
    });
    expect(res.body.data?.quoteCreate?.userErrors?.[0]?.code ?? codes(res)[0]).toBe('FORBIDDEN');
  });
});

describe('editing a quote', () => {
  it('adds and removes lines, changes the discount, and refuses a stale version', async () => {
    const quote = await created(as.consumerAgent, { customerId: customer('aoife'), lines: [{ productId: product('volt-sim-unlimited') }] });
    const added = await as.consumerAgent(ADD, {
      input: { id: quote.id, version: quote.version, parentLineId: quote.lines[0].id, lines: [{ productId: product('eu-roaming-pass') }] },
    });
    expect(added.body.data?.quoteLinesAdd.userErrors).toEqual([]);
    const withAddOn = added.body.data?.quoteLinesAdd.quote;
    expect(withAddOn.version).toBeGreaterThan(quote.version);
    expect(withAddOn.lines[1].parentLineId).toBe(quote.lines[0].id);
    expect(withAddOn.totals.subtotalRecurring.amount).toBe('34.98');

    const stale = await as.consumerAgent(UPDATE, {
      input: { id: quote.id, version: quote.version, discount: { type: 'PERCENT', value: '10' } },
    });
    expect(stale.body.data?.quoteUpdate.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'version'] })]);

    const discounted = await as.consumerAgent(UPDATE, {
      input: { id: quote.id, version: withAddOn.version, discount: { type: 'PERCENT', value: '10' } },
    });
    expect(discounted.body.data?.quoteUpdate.userErrors).toEqual([]);
    const after = discounted.body.data?.quoteUpdate.quote;
    expect(after.discount).toEqual({ type: 'PERCENT', value: '10.00' });
    // 10% of 29.99 and of 4.99, rounded per line.
    expect(after.totals.recurringDiscounts.amount).toBe('3.50');

    // Removing the plan takes its add-on with it; the last line cannot go.
    const removed = await as.consumerAgent(REMOVE, { input: { id: quote.id, version: after.version, lineIds: [quote.lines[0].id] } });
    expect(removed.body.data?.quoteLinesRemove.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED' })]);
    const addOnOnly = await as.consumerAgent(REMOVE, { input: { id: quote.id, version: after.version, lineIds: [withAddOn.lines[1].id] } });
    expect(addOnOnly.body.data?.quoteLinesRemove.quote.lines).toHaveLength(1);
  });

  it('cannot be done by staff of another segment, another customer or on a quote that is not a draft', async () => {
    const quote = await created(as.consumerAgent, { customerId: customer('aoife'), lines: [{ productId: product('volt-sim-5gb') }] });
    const input = { id: quote.id, version: quote.version, promoCodes: [] };
    expect((await as.businessAgent(UPDATE, { input })).body.data?.quoteUpdate.userErrors[0].code).toBe('NOT_FOUND');
    expect((await as.conor(UPDATE, { input })).body.data?.quoteUpdate.userErrors[0].code).toBe('NOT_FOUND');
    // A submitted (or approved) quote is revised instead (approvals.test.ts); the revision it replaced is read-only.
    const SUBMIT =
      'mutation ($id: ID!, $version: Int!) { quoteSubmit(id: $id, version: $version) { quote { version } userErrors { code } } }';
    const sent = (await as.consumerAgent(SUBMIT, { id: quote.id, version: quote.version })).body.data?.quoteSubmit.quote;
    const revised = await as.consumerAgent(UPDATE, { input: { ...input, version: sent.version } });
    expect(revised.body.data?.quoteUpdate.quote.revision).toBe(2);
    const superseded = await as.consumerAgent(UPDATE, { input: { ...input, version: sent.version + 1 } });
    expect(superseded.body.data?.quoteUpdate.userErrors[0].code).toBe('NOT_EDITABLE');
  });
});

describe('quotes of an opportunity', () => {
  it('a quote made from an opportunity is listed on it (Opportunity.quotes)', async () => {
    const opportunityId = seedId('opportunity', `quote-test-${Date.now()}`);
    const quote = await created(as.consumerAgent, {
      customerId: customer('aoife'),
      opportunityId,
      lines: [{ productId: product('volt-sim-5gb') }],
    });
    const res = await as.consumerAgent('query ($id: ID!) { quote(id: $id) { opportunity { id quotes { nodes { id } } } } }', {
      id: quote.id,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.quote.opportunity).toEqual({ id: opportunityId, quotes: { nodes: [{ id: quote.id }] } });
    // Other staff see none of it beyond their segments.
    const other = await as.businessAgent('query ($id: ID!) { quote(id: $id) { id } }', { id: quote.id });
    expect(codes(other)).toEqual(['NOT_FOUND']);
  });
});
