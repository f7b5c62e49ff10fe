import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import {
  client,
  codes,
  distinctCodes,
  KEYS,
  productId,
  type Response,
  registerCustomer,
  STOREFRONT_IDS,
  signIn,
  startWithManager,
} from './support/stack.js';

/**
 * Promotions end to end: staff manage them, carts show them, promo codes apply (or say why not),
 * checkout redeems them with usage limits that hold under concurrency. Every automatic promotion here
 * is limited to a town of its own (its customers' address), so no other test's carts ever see it.
 */
let stack: Stack;
let manager: Gql;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;

beforeAll(async () => {
  ({ stack, manager } = await startWithManager());
});
afterAll(() => stack.stop());

const PLAN = productId('volt-sim-unlimited');
const OTHER_PLAN = productId('volt-sim-5gb');
const PROMOTION = `promotion { id name couponCode usageLimit usageCount version conditions { type regions productIds from to }
  actions { type percent amount target productIds } messages { locale template } }`;
const CREATE_PROMOTION = `mutation ($input: PromotionCreateInput!) { promotionCreate(input: $input) { ${PROMOTION} userErrors { code field } } }`;
const UPDATE_PROMOTION = `mutation ($input: PromotionUpdateInput!) { promotionUpdate(input: $input) { ${PROMOTION} userErrors { code field } } }`;
const CART = `id version promoCodes lines { id recurringPrice { amount } }
  discounts { promotionId name message oneOff { amount } recurring { amount currencyCode } couponCode lineIds }
  totals { subtotalRecurring { amount } recurringDiscounts { amount } discounts { amount } taxRecurring { amount } monthly { amount } dueNow { amount } }`;
const CREATE_CART = `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cartToken cart { ${CART} } userErrors { code } } }`;
const APPLY = `mutation ($input: CartPromoCodeInput!) { cartPromoCodeApply(input: $input) { cart { ${CART} } userErrors { code field message } } }`;
const REMOVE = `mutation ($input: CartPromoCodeInput!) { cartPromoCodeRemove(input: $input) { cart { ${CART} } userErrors { code field } } }`;
const CHECKOUT = `mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) { order { id
  discounts { promotionId name oneOff { amount } recurring { amount } couponCode lineIds } lines { id }
  totals { recurringDiscounts { amount } monthly { amount } dueNow { amount } } } userErrors { code field message } } }`;

const unique = (prefix: string) => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`;

/** Only what this test created: promotions of other test files may apply to shared demo products too. */
const mine = (cart: { discounts: { promotionId: string }[] }, ...ids: string[]) =>
  cart.discounts.filter((d) => ids.includes(d.promotionId));

async function createPromotion(input: Record<string, unknown>) {
  const res = await manager(CREATE_PROMOTION, { input: { name: unique('Promo '), ...input } });
  expect(res.body.data?.promotionCreate.userErrors).toEqual([]);
  return res.body.data?.promotionCreate.promotion as { id: string; version: number; couponCode: string | null };
}

/** 50% off the plan's monthly price for customers living in `town` (automatic). */
const halfOffPlanIn = (town: string, extra: Record<string, unknown> = {}) =>
  createPromotion({
    conditions: [{ type: 'GEOGRAPHY', regions: [town] }],
    actions: [{ type: 'PERCENT_OFF', percent: 50, target: 'RECURRING', productIds: [PLAN], months: 6 }],
    messages: [{ locale: 'en', template: '{{percent}}% off for {{months}} months' }],
    ...extra,
  });

/** 10.00 off the plan's monthly price with a code. */
const codeOff = (code: string, extra: Record<string, unknown> = {}) =>
  createPromotion({
    couponCode: code,
    conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [PLAN] }],
    actions: [{ type: 'AMOUNT_OFF', amount: '10.00', target: 'RECURRING' }],
    ...extra,
  });

/** A newly registered Volt customer, signed in, optionally living in `town`. */
async function newCustomer(town?: string): Promise<{ id: string; gql: Gql }> {
  const { id, gql } = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Róisín Test', prefix: 'promo' });
  if (town) {
    const added = await gql('mutation ($input: AddressAddInput!) { customerAddressAdd(input: $input) { userErrors { code } } }', {
      input: { type: 'SERVICE', line1: '1 Main St', city: town, postcode: 'D02 X285', country: 'IE' },
    });
    expect(added.body.data?.customerAddressAdd.userErrors).toEqual([]);
  }
  return { id, gql };
}

async function cartWith(gql: Gql, lines = [{ productId: PLAN, quantity: 1 }]) {
  const res = await gql(CREATE_CART, { input: { lines } });
  expect(res.body.data?.cartCreate.userErrors).toEqual([]);
  return { ...res.body.data?.cartCreate.cart, cartToken: res.body.data?.cartCreate.cartToken as string | null };
}

const ref = (cart: { id: string; version: number; cartToken?: string | null }) => ({
  cartId: cart.id,
  version: cart.version,
  cartToken: cart.cartToken ?? null,
});
const apply = (gql: Gql, cart: Parameters<typeof ref>[0], code: string) => gql(APPLY, { input: { cart: ref(cart), code } });
const checkout = (gql: Gql, cart: Parameters<typeof ref>[0], key = randomUUID()) =>
  gql(CHECKOUT, { input: { cart: ref(cart), idempotencyKey: key } });

const minor = (amount: string) => Math.round(Number(amount) * 100);
const decimal = (m: number) => (m / 100).toFixed(2);

async function sql(query: string, params: unknown[]) {
  const em = stack.subgraphs.find((s) => s.definition.name === 'promotion')?.orm.em.fork();
  return (em as NonNullable<typeof em>).getConnection().execute(query, params);
}

describe('staff manage promotions', () => {
  it('reports every problem of a bad promotion at once and writes nothing', async () => {
    const name = unique('Broken ');
    const res = await manager(CREATE_PROMOTION, {
      input: {
        name,
        couponCode: 'no spaces allowed',
        usageLimit: -1,
        conditions: [
          { type: 'MIN_SUBTOTAL', basis: 'ONE_OFF' },
          { type: 'PRODUCTS_IN_CART', productIds: ['not-a-uuid'] },
          { type: 'CATEGORIES_IN_CART', categoryIds: Array.from({ length: 251 }, () => randomUUID()) },
        ],
        actions: [
          { type: 'PERCENT_OFF', percent: 150, target: 'RECURRING' },
          { type: 'AMOUNT_OFF', amount: '-5.00', target: 'ONE_OFF' },
          { type: 'FIXED_PRICE', price: '1.999', target: 'BOTH' },
        ],
      },
    });
    expect(res.body.data?.promotionCreate.promotion).toBeNull();
    const errors = res.body.data?.promotionCreate.userErrors.map(
      (e: { code: string; field: string[] }) => `${e.code} ${e.field.join('.')}`,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'INVALID input.couponCode',
        'INVALID input.usageLimit',
        'REQUIRED input.conditions.0.amount',
        'INVALID input.conditions.1.productIds.0',
        'TOO_MANY input.conditions.2.categoryIds',
        'INVALID input.actions.0.percent',
        'INVALID input.actions.1.amount',
        'REQUIRED input.actions.2.productId',
        'INVALID input.actions.2.price',
        'INVALID input.actions.2.target',
      ]),
    );
    const [row] = await sql('select count(*)::int as n from "promotion"."promotion" where name = ?', [name]);
    expect(row.n).toBe(0);
  });

  it('keeps coupon codes unique per storefront whatever the case, and updates with a version check', async () => {
    const code = unique('Uniq');
    const created = await codeOff(code);
    const clash = await manager(CREATE_PROMOTION, {
      input: { name: unique('Clash '), couponCode: code.toLowerCase(), actions: [{ type: 'AMOUNT_OFF', amount: '1', target: 'ONE_OFF' }] },
    });
    expect(clash.body.data?.promotionCreate.userErrors).toEqual([{ code: 'TAKEN', field: ['input', 'couponCode'] }]);
    const updated = await manager(UPDATE_PROMOTION, { input: { id: created.id, version: created.version, usageLimit: 10 } });
    expect(updated.body.data?.promotionUpdate).toMatchObject({ promotion: { usageLimit: 10, couponCode: code }, userErrors: [] });
    const stale = await manager(UPDATE_PROMOTION, { input: { id: created.id, version: created.version, usageLimit: 20 } });
    expect(stale.body.data?.promotionUpdate.userErrors).toEqual([{ code: 'CONFLICT', field: ['input', 'version'] }]);
  });

  it('lists promotions highest priority first, page by page, and only to promotion staff of the brand', async () => {
    const top = await codeOff(unique('Top'), { priority: 900_001 });
    const next = await codeOff(unique('Next'), { priority: 900_000 });
    const page = `query ($after: String) { promotions(first: 1, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const first = (await manager(page)).body.data?.promotions;
    expect(first.nodes).toEqual([{ id: top.id }]);
    const second = (await manager(page, { after: first.pageInfo.endCursor })).body.data?.promotions;
    expect(second.nodes).toEqual([{ id: next.id }]);

    const nimbus = (await signIn(stack.router.handler, 'staffLogin', 'agent@nimbus.example')).gql;
    const other = await nimbus(`{ promotion(id: "${top.id}") { id } }`);
    expect(codes(other)).toEqual(['NOT_FOUND']);
    expect((await nimbus('{ promotions(first: 100) { nodes { id } } }')).body.data?.promotions.nodes).not.toContainEqual({ id: top.id });

    const customer = (await signIn(stack.router.handler, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
    // Promotions are not in the storefront schema view: customers and keys cannot even name them.
    expect(codes(await customer('{ promotions { nodes { id } } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const create = { input: { name: 'x', actions: [{ type: 'AMOUNT_OFF', amount: '1', target: 'ONE_OFF' }] } };
    expect(distinctCodes(await customer(CREATE_PROMOTION, create))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(distinctCodes(await client(stack.router.handler, KEYS.volt)(CREATE_PROMOTION, create))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('carts', () => {
  it('show the discounts that apply and totals taxed on what remains', async () => {
    const town = unique('Town ');
    const promotion = await halfOffPlanIn(town);
    const customer = await newCustomer(town);
    const cart = await cartWith(customer.gql);
    const unit = minor(cart.lines[0].recurringPrice.amount);
    const off = Math.round(unit / 2);
    expect(mine(cart, promotion.id)).toEqual([
      {
        promotionId: promotion.id,
        name: expect.any(String),
        message: '50% off for 6 months',
        oneOff: { amount: '0.00' },
        recurring: { amount: decimal(off), currencyCode: 'EUR' },
        couponCode: null,
        lineIds: [cart.lines[0].id],
      },
    ]);
    if (cart.discounts.length === 1) {
      const tax = Math.round((unit - off) * 0.23);
      expect(cart.totals).toMatchObject({
        recurringDiscounts: { amount: decimal(off) },
        taxRecurring: { amount: decimal(tax) },
        monthly: { amount: decimal(unit - off + tax) },
      });
    }
    // Someone living elsewhere does not get it.
    const elsewhere = await cartWith((await newCustomer(unique('Elsewhere '))).gql);
    expect(mine(elsewhere, promotion.id)).toEqual([]);
  });

  it('refuse codes that do not apply, saying why, and leave the cart as it was', async () => {
    const now = Date.now();
    const day = 24 * 3600 * 1000;
    const expired = await codeOff(unique('Old'), {
      conditions: [{ type: 'DATE_WINDOW', from: new Date(now - 10 * day).toISOString(), to: new Date(now - day).toISOString() }],
    });
    const early = await codeOff(unique('Soon'), { conditions: [{ type: 'DATE_WINDOW', from: new Date(now + day).toISOString() }] });
    const used = await codeOff(unique('Gone'), { usageLimit: 1 });
    await sql('update "promotion"."promotion" set usage_count = 1 where id = ?', [used.id]);
    const elsewhere = await codeOff(unique('Other'), { conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [OTHER_PLAN] }] });
    const oncePer = await codeOff(unique('Once'), { perCustomerLimit: 1 });
    const customer = await newCustomer();
    const cart = await cartWith(customer.gql);
    const cases: [string, string][] = [
      [expired.couponCode as string, 'EXPIRED'],
      [early.couponCode as string, 'NOT_STARTED'],
      [used.couponCode as string, 'EXHAUSTED'],
      [(elsewhere.couponCode as string).toLowerCase(), 'INELIGIBLE'],
      [unique('Nope'), 'UNKNOWN_CODE'],
    ];
    for (const [code, problem] of cases) {
      const res = await apply(customer.gql, cart, code);
      expect(res.body.data?.cartPromoCodeApply).toMatchObject({
        cart: null,
        userErrors: [{ code: problem, field: ['input', 'code'], message: expect.stringContaining(code.toUpperCase()) }],
      });
    }
    const after = (await customer.gql(`{ cart(id: "${cart.id}") { version promoCodes } }`)).body.data?.cart;
    expect(after).toEqual({ version: cart.version, promoCodes: [] });

    // A per-customer-limited code needs a signed-in customer.
    const shopper = client(stack.router.handler, KEYS.volt);
    const anonymous = await cartWith(shopper);
    const signInFirst = await apply(shopper, anonymous, oncePer.couponCode as string);
    expect(signInFirst.body.data?.cartPromoCodeApply.userErrors).toMatchObject([{ code: 'COUPON_REQUIRES_SIGN_IN' }]);
  });

  it('take a valid code (normalised), show its discount, and drop it again', async () => {
    const promotion = await codeOff(unique('Ten'));
    const customer = await newCustomer();
    const cart = await cartWith(customer.gql);
    const applied = (await apply(customer.gql, cart, ` ${(promotion.couponCode as string).toLowerCase()} `)).body.data?.cartPromoCodeApply;
    expect(applied.userErrors).toEqual([]);
    // Stored normalised: trimmed, upper case.
    expect(applied.cart).toMatchObject({ version: cart.version + 1, promoCodes: [(promotion.couponCode as string).toUpperCase()] });
    expect(mine(applied.cart, promotion.id)).toEqual([
      expect.objectContaining({ couponCode: promotion.couponCode, recurring: { amount: '10.00', currencyCode: 'EUR' } }),
    ]);
    const removed = (await customer.gql(REMOVE, { input: { cart: ref(applied.cart), code: promotion.couponCode } })).body.data
      ?.cartPromoCodeRemove;
    expect(removed.cart).toMatchObject({ promoCodes: [] });
    expect(mine(removed.cart, promotion.id)).toEqual([]);
  });

  it("speak the storefront's default locale when no language is asked, its locale read with the cart's products", async () => {
    // Volt's default is en-IE: its own template wins over the language's (en) one.
    const promotion = await codeOff(unique('Irish'), {
      messages: [
        { locale: 'en', template: 'Ten off every month' },
        { locale: 'en-IE', template: 'Ten off every month, grand' },
      ],
    });
    const customer = await newCustomer();
    const cart = await cartWith(customer.gql);
    const applied = (await apply(customer.gql, cart, promotion.couponCode as string)).body.data?.cartPromoCodeApply;
    expect(applied.userErrors).toEqual([]);
    expect(mine(applied.cart, promotion.id)).toMatchObject([{ message: 'Ten off every month, grand' }]);
  });

  it("keep a code entered before signing in when the cart merges into the customer's open cart", async () => {
    const promotion = await codeOff(unique('Merge'));
    const registered = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'promo' });
    const open = await cartWith(registered.gql);
    const shopper = client(stack.router.handler, KEYS.volt);
    const anonymous = await cartWith(shopper);
    const applied = (await apply(shopper, anonymous, promotion.couponCode as string)).body.data?.cartPromoCodeApply;
    expect(applied.userErrors).toEqual([]);
    const attach = await registered.gql(
      `mutation ($input: CartAttachCustomerInput!) { cartAttachCustomer(input: $input) { cart { ${CART} } userErrors { code } } }`,
      { input: { cartId: anonymous.id, cartToken: anonymous.cartToken } },
    );
    const merged = attach.body.data?.cartAttachCustomer;
    expect(merged.userErrors).toEqual([]);
    expect(merged.cart).toMatchObject({ id: open.id, promoCodes: [(promotion.couponCode as string).toUpperCase()] });
    expect(mine(merged.cart, promotion.id)).toHaveLength(1);
  });
});

describe('checkout', () => {
  it('records the discounts on the order, as the cart showed them', async () => {
    const town = unique('Town ');
    const automatic = await halfOffPlanIn(town);
    const coupon = await codeOff(unique('Order'));
    const customer = await newCustomer(town);
    const cart = await cartWith(customer.gql);
    const withCode = (await apply(customer.gql, cart, coupon.couponCode as string)).body.data?.cartPromoCodeApply.cart;
    // An offer the customer accepted that carries the coupon's promotion is redeemed by the checkout.
    const offerId = randomUUID();
    await sql(
      `insert into "promotion"."offer" (id, storefront_id, customer_id, source, promotion_id, title, message, status, created_at)
       values (?, ?, ?, 'AGENT', ?, 'For you', '10 off', 'ACCEPTED', now())`,
      [offerId, STOREFRONT_IDS.volt, customer.id, coupon.id],
    );
    const placed = (await checkout(customer.gql, withCode)).body.data?.cartCheckout;
    expect(placed.userErrors).toEqual([]);
    const order = placed.order;
    expect(mine(order, automatic.id, coupon.id)).toEqual([
      expect.objectContaining({ promotionId: automatic.id, couponCode: null, lineIds: [order.lines[0].id] }),
      expect.objectContaining({ promotionId: coupon.id, couponCode: coupon.couponCode, recurring: { amount: '10.00' } }),
    ]);
    expect(order.totals).toMatchObject({
      monthly: withCode.totals.monthly,
      dueNow: withCode.totals.dueNow,
      recurringDiscounts: withCode.totals.recurringDiscounts,
    });
    const [row] = await sql('select usage_count from "promotion"."promotion" where id = ?', [coupon.id]);
    expect(row.usage_count).toBe(1);
    const [offer] = await sql('select status, redeemed_at from "promotion"."offer" where id = ?', [offerId]);
    expect(offer.status).toBe('REDEEMED');
    expect(offer.redeemed_at).not.toBeNull();
  });

  it('holds a usage limit of 3 when 8 customers check out at once', async () => {
    const town = unique('Rush ');
    const promotion = await halfOffPlanIn(town, { usageLimit: 3 });
    const customers = await Promise.all(Array.from({ length: 8 }, () => newCustomer(town)));
    const carts = await Promise.all(customers.map((c) => cartWith(c.gql)));
    expect(carts.every((c) => mine(c, promotion.id).length === 1)).toBe(true);
    const results = await Promise.all(customers.map((c, i) => checkout(c.gql, carts[i])));
    const orders = results.map((r) => r.body.data?.cartCheckout.order);
    expect(results.map((r) => r.body.data?.cartCheckout.userErrors)).toEqual(Array(8).fill([]));
    expect(orders.filter((o) => mine(o, promotion.id).length === 1)).toHaveLength(3);
    const [row] = await sql('select usage_count from "promotion"."promotion" where id = ?', [promotion.id]);
    expect(row.usage_count).toBe(3);
  });

  it('refuses a typed code that ran out since it was applied, placing nothing', async () => {
    const promotion = await codeOff(unique('Last'), { usageLimit: 1 });
    const [first, second] = await Promise.all([newCustomer(), newCustomer()]);
    const carts = await Promise.all(
      [first, second].map(
        async (c) => (await apply(c.gql, await cartWith(c.gql), promotion.couponCode as string)).body.data?.cartPromoCodeApply.cart,
      ),
    );
    const results = await Promise.all([checkout(first.gql, carts[0]), checkout(second.gql, carts[1])]);
    const outcomes = results.map((r) => r.body.data?.cartCheckout);
    const placed = outcomes.filter((o) => o.order);
    const refused = outcomes.filter((o) => !o.order);
    expect(placed).toHaveLength(1);
    expect(refused).toEqual([
      {
        order: null,
        userErrors: [
          { code: 'EXHAUSTED', field: ['input', 'cart'], message: expect.stringContaining((promotion.couponCode as string).toUpperCase()) },
        ],
      },
    ]);
    const [row] = await sql('select usage_count from "promotion"."promotion" where id = ?', [promotion.id]);
    expect(row.usage_count).toBe(1);
    // Removing the code lets the shopper check out at the price they now see.
    const loser = [first, second][outcomes.indexOf(refused[0])];
    const loserCart = carts[outcomes.indexOf(refused[0])];
    const removed = (await loser.gql(REMOVE, { input: { cart: ref(loserCart), code: promotion.couponCode } })).body.data
      ?.cartPromoCodeRemove;
    expect((await checkout(loser.gql, removed.cart)).body.data?.cartCheckout.userErrors).toEqual([]);
  });

  it('holds a per-customer limit across orders', async () => {
    const promotion = await codeOff(unique('Mine'), { perCustomerLimit: 1 });
    const customer = await newCustomer();
    const cart = (await apply(customer.gql, await cartWith(customer.gql), promotion.couponCode as string)).body.data?.cartPromoCodeApply
      .cart;
    expect((await checkout(customer.gql, cart)).body.data?.cartCheckout.userErrors).toEqual([]);
    const again = await apply(customer.gql, await cartWith(customer.gql), promotion.couponCode as string);
    expect(again.body.data?.cartPromoCodeApply.userErrors).toMatchObject([{ code: 'CUSTOMER_LIMIT' }]);
  });

  it("never gives one brand's promotion to another brand's shoppers", async () => {
    const promotion = await codeOff(unique('Volt'));
    const nimbus = client(stack.router.handler, KEYS.nimbus);
    const cart = await cartWith(nimbus, [{ productId: productId('nimbus-fibre-150'), quantity: 1 }]);
    const res = await apply(nimbus, cart, promotion.couponCode as string);
    expect(res.body.data?.cartPromoCodeApply.userErrors).toMatchObject([{ code: 'UNKNOWN_CODE' }]);
    expect(mine(cart, promotion.id)).toEqual([]);
  });
});
