import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, KEYS, productId, registerCustomer, STOREFRONT_IDS, signIn, startWithManager } from './support/stack.js';

/**
 * The fallback chain (requested locale → its language → storefront default → its language → stored
 * text) everywhere a text is read: with no language asked the storefront default's translation comes
 * before the stored text; `NAME` sorts by the name the shopper reads; an order keeps its discounts'
 * names and messages in the buyer's language.
 */
let stack: Stack;
type Gql = ReturnType<typeof client>;
let staff: Gql;
let plain: Gql;
let french: Gql;

beforeAll(async () => {
  ({ stack, manager: staff } = await startWithManager());
  const h = stack.router.handler;
  plain = client(h, KEYS.volt);
  french = client(h, KEYS.volt, { 'accept-language': 'fr' });
});
afterAll(() => stack.stop());

const tag = () => randomBytes(4).toString('hex');
const SET = `mutation ($input: ProductTranslationsSetInput!) { productTranslationsSet(input: $input) { product { id } userErrors { code field } } }`;

/** A Volt product of this test only, active and in Volt's assortment. */
async function product(name: string): Promise<string> {
  const res = await staff(
    `mutation ($input: ProductCreateInput!) { productCreate(input: $input) { product { id } userErrors { code field message } } }`,
    {
      input: {
        slug: `i18n-${tag()}`,
        name,
        kind: 'ADDON',
        description: 'A test product',
        status: 'ACTIVE',
        storefrontIds: [STOREFRONT_IDS.volt],
      },
    },
  );
  const id = res.body.data?.productCreate.product?.id;
  if (!id) throw new Error(`productCreate failed: ${JSON.stringify(res.body)}`);
  return id as string;
}

async function translate(id: string, locale: string, name: string) {
  const res = await staff(SET, { input: { productId: id, locale, name } });
  expect(res.body.data?.productTranslationsSet.userErrors).toEqual([]);
}

const nameOf = async (gql: Gql, id: string) => {
  const res = await gql(`{ product(id: "${id}") { name } }`);
  expect(res.body.errors).toBeUndefined();
  return res.body.data?.product.name as string;
};

describe('with no language asked', () => {
  it("the storefront default's translation comes before the stored text, and after the asked language", async () => {
    const t = tag();
    // Volt's default locale is en-IE: an `en` text is its default language's, whatever the stored text is in.
    const id = await product(`Produkt ${t}`);
    expect(await nameOf(plain, id)).toBe(`Produkt ${t}`);
    await translate(id, 'en', `Product ${t}`);
    expect(await nameOf(plain, id)).toBe(`Product ${t}`);
    // Asked for French without a French text: the storefront default's, not the stored one.
    expect(await nameOf(french, id)).toBe(`Product ${t}`);
    await translate(id, 'fr', `Produit ${t}`);
    expect(await nameOf(french, id)).toBe(`Produit ${t}`);
    expect(await nameOf(plain, id)).toBe(`Product ${t}`);
  });
});

describe('NAME sort', () => {
  const PAGE = `query ($q: String!, $after: String) { products(first: 1, after: $after, query: $q, sort: NAME) {
    nodes { id name } pageInfo { endCursor hasNextPage } } }`;
  /** Every match of `q` in NAME order, one per page (the cursor carries the translated name). */
  const sorted = async (gql: Gql, q: string) => {
    const names: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await gql(PAGE, { q, after });
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data?.products;
      names.push(...page.nodes.map((n: { name: string }) => n.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return names;
  };

  it('orders by the name in the request language, paging through it with cursors', async () => {
    const t = tag();
    const a = await product(`Zulu ${t}`);
    const b = await product(`Alpha ${t}`);
    await translate(a, 'fr', `Abricot ${t}`);
    await translate(b, 'fr', `Zèbre ${t}`);
    expect(await sorted(plain, t)).toEqual([`Alpha ${t}`, `Zulu ${t}`]);
    expect(await sorted(french, t)).toEqual([`Abricot ${t}`, `Zèbre ${t}`]);
  });
});

describe('an order in the buyer language', () => {
  it("keeps its discounts' names and messages in the language of the checkout request", async () => {
    const couponCode = `I18N${tag().toUpperCase()}`;
    const PLAN = productId('volt-sim-unlimited');
    const created = await staff(
      'mutation ($input: PromotionCreateInput!) { promotionCreate(input: $input) { promotion { id } userErrors { code field } } }',
      {
        input: {
          name: `Welcome ${couponCode}`,
          couponCode,
          conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [PLAN] }],
          actions: [{ type: 'AMOUNT_OFF', amount: '5.00', target: 'RECURRING' }],
          messages: [
            { locale: 'en', template: 'Five off every month' },
            { locale: 'fr', template: 'Cinq de moins par mois' },
          ],
        },
      },
    );
    expect(created.body.data?.promotionCreate.userErrors).toEqual([]);
    const promotionId = created.body.data?.promotionCreate.promotion.id;
    const named = await staff(
      'mutation ($input: PromotionTranslationsSetInput!) { promotionTranslationsSet(input: $input) { userErrors { code } } }',
      { input: { promotionId, locale: 'fr', name: `Bienvenue ${couponCode}` } },
    );
    expect(named.body.data?.promotionTranslationsSet.userErrors).toEqual([]);

    const orderIn = async (language: string) => {
      const { gql } = await registerCustomer(stack.router.handler, KEYS.volt, { prefix: 'i18n' });
      const ctx = `@inContext(language: "${language}")`;
      const cart = await gql(
        `mutation ($input: CartCreateInput!) ${ctx} { cartCreate(input: $input) { cart { id version } userErrors { code } } }`,
        { input: { lines: [{ productId: PLAN, quantity: 1 }] } },
      );
      const { id, version } = cart.body.data?.cartCreate.cart ?? {};
      const applied = await gql(
        `mutation ($input: CartPromoCodeInput!) ${ctx} { cartPromoCodeApply(input: $input) { cart { version } userErrors { code } } }`,
        { input: { cart: { cartId: id, version }, code: couponCode } },
      );
      expect(applied.body.data?.cartPromoCodeApply.userErrors).toEqual([]);
      const placed = await gql(
        `mutation ($input: CartCheckoutInput!) ${ctx} { cartCheckout(input: $input) {
          order { id discounts { promotionId name message } } userErrors { code message } } }`,
        { input: { cart: { cartId: id, version: applied.body.data?.cartPromoCodeApply.cart.version }, idempotencyKey: randomUUID() } },
      );
      expect(placed.body.data?.cartCheckout.userErrors).toEqual([]);
      // Read back later in English: what the order keeps does not change with the reader's language.
      const orderId = placed.body.data?.cartCheckout.order.id;
      const read = await gql(`query @inContext(language: "en") { order(id: "${orderId}") { discounts { promotionId name message } } }`);
      expect(read.body.errors).toBeUndefined();
      return read.body.data?.order.discounts.find((d: { promotionId: string }) => d.promotionId === promotionId);
    };
    expect(await orderIn('fr-BE')).toMatchObject({ name: `Bienvenue ${couponCode}`, message: 'Cinq de moins par mois' });
    expect(await orderIn('en')).toMatchObject({ name: `Welcome ${couponCode}`, message: 'Five off every month' });
  });
});

describe('notifications in the customer language', () => {
  const SENT = '{ me { locale version notificationsSent { nodes { templateKey channel locale subject } } } }';
  const resetAndRead = async (email: string, gql: Gql) => {
    const asked = await plain(
      'mutation ($input: CustomerPasswordResetRequestInput!) { customerPasswordResetRequest(input: $input) { ok userErrors { code } } }',
      { input: { email } },
    );
    expect(asked.body.data?.customerPasswordResetRequest.ok).toBe(true);
    const me = (await gql(SENT)).body.data?.me;
    return me.notificationsSent.nodes.find((n: { templateKey: string }) => n.templateKey === 'customer.passwordReset');
  };

  it('a customer who signed up in French is written to from the French template; one who sets fr-BE later too', async () => {
    const h = stack.router.handler;
    const email = `i18n-${tag()}@example.com`;
    const password = 'fresh-customer-42';
    const registered = await client(h, KEYS.volt, { 'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.1` })(
      `mutation ($input: CustomerRegisterInput!) @inContext(language: "fr") { customerRegister(input: $input) { customer { id } userErrors { code } } }`,
      { input: { name: 'Camille', email, password } },
    );
    expect(registered.body.data?.customerRegister.userErrors).toEqual([]);
    const french = (await signIn(h, 'customerLogin', email, KEYS.volt, password)).gql;
    expect((await french(SENT)).body.data?.me.locale).toBe('fr');
    expect(await resetAndRead(email, french)).toMatchObject({
      channel: 'EMAIL',
      locale: 'fr',
      subject: expect.stringContaining('Réinitialisez'),
    });

    // Signed up without a language: the default (English) template; after choosing fr-BE, its language's.
    const other = await registerCustomer(h, KEYS.volt, { prefix: 'i18n' });
    expect(await resetAndRead(other.email, other.gql)).toMatchObject({ locale: 'en' });
    const version = (await other.gql(SENT)).body.data?.me.version;
    const updated = await other.gql(
      'mutation ($input: CustomerUpdateInput!) { customerUpdate(input: $input) { customer { locale } userErrors { code field } } }',
      { input: { version, locale: 'fr_BE' } },
    );
    expect(updated.body.data?.customerUpdate).toEqual({ customer: { locale: 'fr-BE' }, userErrors: [] });
    const bad = await other.gql('mutation ($input: CustomerUpdateInput!) { customerUpdate(input: $input) { userErrors { code field } } }', {
      input: { version: version + 1, locale: 'not a language' },
    });
    expect(bad.body.data?.customerUpdate.userErrors).toContainEqual({ code: 'INVALID', field: ['input', 'locale'] });
    // Each reset sends one message; the newest (first listed or not) is the French one.
    const sent = (await other.gql(SENT)).body.data?.me.notificationsSent.nodes;
    await resetAndRead(other.email, other.gql);
    const after = (await other.gql(SENT)).body.data?.me.notificationsSent.nodes as { templateKey: string; locale: string }[];
    expect(after.length).toBe(sent.length + 1);
    expect(after.filter((n) => n.templateKey === 'customer.passwordReset').map((n) => n.locale)).toContain('fr');
  });
});
