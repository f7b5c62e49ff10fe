import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, GENEROUS_COST, KEYS, productId, registerCustomer, signIn, startTestStack } from './support/stack.js';

/** Every price in both forms (Vendure's `priceWithTax` idea), by the storefront's tax rules and the buyer's context. */
let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack({ cost: GENEROUS_COST });
});
afterAll(() => stack.stop());

const PRICE = 'amount { amount currencyCode } amountWithTax { amount } amountWithoutTax { amount } taxRate displayAmount { amount }';
const cents = (amount: string) => Math.round(Number(amount) * 100);

describe('tax-inclusive prices', () => {
  it('a shopper sees each price with the storefront country’s VAT as the display amount', async () => {
    const shopper = client(stack.router.handler, KEYS.volt);
    const res = await shopper(
      `{ storefront { taxDisplay } product(slug: "volt-sim-unlimited") { price { ${PRICE} } prices { ${PRICE} } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.storefront.taxDisplay).toBe('INCLUDING_TAX');
    expect(res.body.data?.product.price).toEqual({
      amount: { amount: '29.99', currencyCode: 'EUR' },
      amountWithTax: { amount: '36.89' }, // 29.99 × 1.23 = 36.8877
      amountWithoutTax: { amount: '29.99' },
      taxRate: 23,
      displayAmount: { amount: '36.89' },
    });
    // Nimbus (GBP): the United Kingdom's 20%.
    const nimbus = client(stack.router.handler, KEYS.nimbus);
    const products = (await nimbus(`{ products(first: 5) { nodes { price { ${PRICE} } } } }`)).body.data?.products.nodes;
    for (const { price } of products.filter((p: { price: unknown }) => p.price)) {
      expect(price.amount.currencyCode).toBe('GBP');
      const expected = cents(price.amount.amount) + Math.round((cents(price.amount.amount) * price.taxRate) / 100);
      expect(cents(price.amountWithTax.amount)).toBe(expected);
      expect(price.displayAmount).toEqual(price.amountWithTax);
    }
  });

  it('a business account is shown prices without tax; both forms stay available', async () => {
    const business = await signIn(stack.router.handler, 'customerLogin', 'it@acme.example', KEYS.volt);
    const res = await business.gql(`{ storefront { taxDisplay } product(slug: "volt-sim-unlimited") { price { ${PRICE} } } }`);
    expect(res.body.data?.storefront.taxDisplay).toBe('EXCLUDING_TAX');
    const price = res.body.data?.product.price;
    expect(price.displayAmount).toEqual({ amount: price.amount.amount });
    expect(cents(price.amountWithTax.amount)).toBe(cents(price.amount.amount) + Math.round(cents(price.amount.amount) * 0.23));
  });

  it('cart lines and totals carry the tax-inclusive forms, adding up to what checkout charges', async () => {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'tax' });
    const TOTALS = `subtotalRecurring { amount } subtotalRecurringWithTax { amount } recurringDiscounts { amount } recurringDiscountsWithTax { amount }
      subtotalOneOffWithTax { amount } discountsWithTax { amount } deposit { amount } taxRecurring { amount } monthly { amount } dueNow { amount }`;
    const CART = `id version lines { id quantity recurringPrice { amount } recurringPriceWithTax { amount } oneOffPriceWithTax { amount } } totals { ${TOTALS} }`;
    const created = await customer.gql(
      `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { ${CART} } userErrors { code } } }`,
      { input: { lines: [{ productId: productId('volt-sim-20gb'), quantity: 2 }] } },
    );
    let cart = created.body.data?.cartCreate.cart;
    expect(cart.lines[0].recurringPriceWithTax).toEqual({ amount: '18.44' }); // 14.99 × 1.23, per unit
    expect(cart.lines[0].oneOffPriceWithTax).toBeNull();
    // Two units taxed as one line: 29.98 + 6.90 (29.98 × 23% = 6.8954).
    expect(cart.totals).toMatchObject({ subtotalRecurringWithTax: { amount: '36.88' }, recurringDiscountsWithTax: { amount: '0.00' } });
    expect(cart.totals.monthly).toEqual(cart.totals.subtotalRecurringWithTax);

    // A promotion: its tax-inclusive amount is exactly what it takes off the charge.
    const applied = await customer.gql(
      `mutation ($input: CartPromoCodeInput!) { cartPromoCodeApply(input: $input) { cart { ${CART} } userErrors { code } } }`,
      { input: { cart: { cartId: cart.id, version: cart.version }, code: 'DATA50' } },
    );
    expect(applied.body.data?.cartPromoCodeApply.userErrors).toEqual([]);
    cart = applied.body.data?.cartPromoCodeApply.cart;
    const t = cart.totals;
    expect(cents(t.recurringDiscountsWithTax.amount)).toBeGreaterThan(cents(t.recurringDiscounts.amount));
    expect(cents(t.subtotalRecurringWithTax.amount) - cents(t.recurringDiscountsWithTax.amount)).toBe(cents(t.monthly.amount));
    expect(cents(t.subtotalOneOffWithTax.amount) - cents(t.discountsWithTax.amount) + cents(t.deposit.amount)).toBe(cents(t.dueNow.amount));

    // The order keeps them as checked out.
    const checkout = await customer.gql(
      `mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) { order { totals { ${TOTALS} } } userErrors { code } } }`,
      { input: { cart: { cartId: cart.id, version: cart.version }, idempotencyKey: randomUUID() } },
    );
    expect(checkout.body.data?.cartCheckout.userErrors).toEqual([]);
    expect(checkout.body.data?.cartCheckout.order.totals).toEqual(t);
  });

  it('both forms cost no SQL: a page of products issues the same statements with or without them', async () => {
    const shopper = client(stack.router.handler, KEYS.volt);
    await shopper('{ storefront { name } }');
    const page = (first: number, fields: string) => shopper(`{ products(first: ${first}) { nodes { id price { ${fields} } } } }`);
    const plain = await page(20, 'amount { amount }');
    const taxed = await page(20, PRICE);
    const small = await page(2, PRICE);
    expect(taxed.body.errors).toBeUndefined();
    expect(taxed.statements).toBe(plain.statements);
    expect(taxed.statements).toBe(small.statements);
  });
});
