import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows } from './support/brand-matrix.js';
import { codes, KEYS, productId, type Response, registerCustomer, STOREFRONT_IDS, signIn, startWithManager } from './support/stack.js';

/**
 * Quotes are priced as their account pays — its negotiated price list, its segment — through the quote
 * service carrying the account (`Principal.account`, scope `pricing:account`), whoever makes or edits
 * the quote: staff, a partner or the account holder. A quote for one account never gets another's prices.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const SIM = productId('volt-sim-5gb');
const LIST_PRICE = '9.99';
const PRICES = { x: '4.44', y: '3.33' };
let x: Awaited<ReturnType<typeof registerCustomer>>;
let y: Awaited<ReturnType<typeof registerCustomer>>;
let plain: Awaited<ReturnType<typeof registerCustomer>>;

const CREATE = `mutation ($input: QuoteCreateInput!) { quoteCreate(input: $input) {
  quote { id version customer { id } lines { recurringPrice { amount } } } userErrors { code } } }`;
const ADD = `mutation ($input: QuoteLinesAddInput!) { quoteLinesAdd(input: $input) {
  quote { id version lines { recurringPrice { amount } } } userErrors { code } } }`;

/** An account price list of `amount` a month for the 5 GB SIM, made by Volt's manager (catalog:write). */
async function negotiated(customerId: string, amount: string) {
  const list = await as.manager(
    'mutation ($input: PriceListCreateInput!) { priceListCreate(input: $input) { priceList { id } userErrors { code } } }',
    { input: { storefrontId: STOREFRONT_IDS.volt, name: `Negotiated ${amount}`, customerId } },
  );
  expect(list.body.data?.priceListCreate.userErrors).toEqual([]);
  const price = await as.manager('mutation ($input: PriceSetInput!) { priceSet(input: $input) { userErrors { code } } }', {
    input: { priceListId: list.body.data?.priceListCreate.priceList.id, productId: SIM, type: 'RECURRING', amount, interval: 'MONTH' },
  });
  expect(price.body.data?.priceSet.userErrors).toEqual([]);
}

async function quoted(gql: Gql, customerId: string | null) {
  const res = await gql(CREATE, { input: { ...(customerId ? { customerId } : {}), lines: [{ productId: SIM }] } });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.quoteCreate.userErrors).toEqual([]);
  return res.body.data?.quoteCreate.quote as {
    id: string;
    version: number;
    customer: { id: string };
    lines: { recurringPrice: { amount: string } }[];
  };
}
const priceOf = (quote: { lines: { recurringPrice: { amount: string } }[] }) => quote.lines.map((l) => l.recurringPrice.amount);

beforeAll(async () => {
  ({ stack, manager: as.manager } = await startWithManager());
  const h = stack.router.handler;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.acme = (await signIn(h, 'customerLogin', 'it@acme.example', KEYS.volt)).gql;
  [x, y, plain] = await Promise.all([0, 1, 2].map(() => registerCustomer(h, KEYS.volt, { prefix: 'quote-pricing' })));
  await negotiated(x.id, PRICES.x);
  await negotiated(y.id, PRICES.y);
});
afterAll(() => stack.stop());

describe("an account's negotiated prices on its quotes", () => {
  it('staff quoting each account get that account’s list, an account without one the storefront price', async () => {
    expect(priceOf(await quoted(as.consumerAgent, x.id))).toEqual([PRICES.x]);
    expect(priceOf(await quoted(as.consumerAgent, y.id))).toEqual([PRICES.y]);
    expect(priceOf(await quoted(as.consumerAgent, plain.id))).toEqual([LIST_PRICE]);
  });

  it('the account holder quoting themself gets their own list, never the other account’s', async () => {
    expect(priceOf(await quoted(x.gql, null))).toEqual([PRICES.x]);
    expect(priceOf(await quoted(y.gql, null))).toEqual([PRICES.y]);
    // Naming another account is refused, and writes nothing.
    const before = await dbRows(stack, 'quote', 'select id from "quote"."quote" where customer_id = ?', [x.id]);
    const res = await y.gql(CREATE, { input: { customerId: x.id, lines: [{ productId: SIM }] } });
    expect(res.body.data?.quoteCreate.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
    expect(await dbRows(stack, 'quote', 'select id from "quote"."quote" where customer_id = ?', [x.id])).toEqual(before);
  });

  it('an edited quote is priced again for its own account (lines added later too)', async () => {
    const quote = await quoted(as.consumerAgent, x.id);
    const res = await as.consumerAgent(ADD, { input: { id: quote.id, version: quote.version, lines: [{ productId: SIM, quantity: 2 }] } });
    expect(res.body.data?.quoteLinesAdd.userErrors).toEqual([]);
    expect(priceOf(res.body.data?.quoteLinesAdd.quote)).toEqual([PRICES.x, PRICES.x]);
  });

  it("the seeded business account's list applies whoever quotes it; its branch office (no list of its own) gets none of it", async () => {
    const [row] = (await dbRows(stack, 'catalog', 'select amount from "catalog"."price" where id = ?', [
      seedId('price', 'volt:acme:volt-sim-5gb'),
    ])) as { amount: string }[];
    const acmePrice = Number(row?.amount).toFixed(2);
    expect(acmePrice).not.toBe(LIST_PRICE);
    expect(priceOf(await quoted(as.businessAgent, seedId('customer', 'acme-telecom-buyers')))).toEqual([acmePrice]);
    expect(priceOf(await quoted(as.acme, null))).toEqual([acmePrice]);
    expect(priceOf(await quoted(as.businessAgent, seedId('customer', 'acme-dublin')))).not.toEqual([acmePrice]);
  });

  it('staff cannot quote an account outside their segments, so cannot reach its prices', async () => {
    const res = await as.businessAgent(CREATE, { input: { customerId: x.id, lines: [{ productId: SIM }] } });
    expect([...codes(res), ...(res.body.data?.quoteCreate.userErrors ?? []).map((e: { code: string }) => e.code)]).toEqual(['NOT_FOUND']);
  });

  it("a contract's monthly fee is the account's negotiated price too, not the staff member's view", async () => {
    const contract = async (customerId: string) => {
      const res = await as.manager(
        'mutation ($input: ContractCreateInput!) { contractCreate(input: $input) { contract { monthlyFee { amount } } userErrors { code } } }',
        { input: { customerId, templateId: seedId('contract-template', 'volt-12'), products: [{ productId: SIM }] } },
      );
      expect(res.body.data?.contractCreate.userErrors).toEqual([]);
      return res.body.data?.contractCreate.contract.monthlyFee.amount;
    };
    expect(await contract(x.id)).toBe(PRICES.x);
    expect(await contract(y.id)).toBe(PRICES.y);
    expect(await contract(plain.id)).toBe(LIST_PRICE);
  });
});
