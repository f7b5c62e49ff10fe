import { randomBytes } from 'node:crypto';
import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, codes, KEYS, productId, signIn, startWithManager } from './support/stack.js';

/**
 * Who may write and read translations, through the router. Products: the brands selling it (every
 * one of them granted); categories: the all-brands grant; promotions: the promotion's brand. A
 * refusal writes nothing; storefront keys, customers and partners never reach the mutations or the
 * staff-only `translations` field.
 */
let stack: Stack;
type Gql = ReturnType<typeof client>;
let volt: Gql; // manager@volt.example
let nimbus: Gql; // agent@nimbus.example
let regional: Gql; // both brands, not all
let admin: Gql; // all brands
let shopper: Gql; // Volt storefront key
let customer: Gql;
let partner: Gql;

const VOLT_ONLY = productId('volt-sim-50gb');
const NIMBUS_ONLY = productId('nimbus-fibre-150');
const SHARED = productId('device-insurance');
const CATEGORY = seedId('category', 'tablets');
const locale = () => `it-x-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  ({ stack, manager: volt } = await startWithManager());
  const h = stack.router.handler;
  nimbus = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  regional = (await signIn(h, 'staffLogin', 'regional@dcrm.example')).gql;
  admin = (await signIn(h, 'staffLogin', 'admin@dcrm.example')).gql;
  shopper = client(h, KEYS.volt);
  customer = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  partner = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
});
afterAll(() => stack.stop());

const rows = async (subgraph: 'catalog' | 'promotion', subjectId: string, loc: string) => {
  const sg = stack.subgraphs.find((s) => s.definition.name === subgraph) as Stack['subgraphs'][number];
  return sg.orm.em
    .fork()
    .getConnection()
    .execute(`select * from "${subgraph}"."translation" where subject_id = ? and locale = ?`, [subjectId, loc]);
};

const SET_PRODUCT = `mutation ($input: ProductTranslationsSetInput!) { productTranslationsSet(input: $input) { product { id } userErrors { code } } }`;
const SET_CATEGORY = `mutation ($input: CategoryTranslationsSetInput!) { categoryTranslationsSet(input: $input) { category { id } userErrors { code } } }`;
const REMOVE_PRODUCT = `mutation ($input: ProductTranslationsRemoveInput!) { productTranslationsRemove(input: $input) { product { id } userErrors { code } } }`;
const SET_PROMOTION = `mutation ($input: PromotionTranslationsSetInput!) { promotionTranslationsSet(input: $input) { promotion { id name } userErrors { code } } }`;

async function productWrite(gql: Gql, productIdValue: string): Promise<string | null> {
  const loc = locale();
  const res = await gql(SET_PRODUCT, { input: { productId: productIdValue, locale: loc, name: 'Nome' } });
  expect(res.body.errors).toBeUndefined();
  const code = res.body.data?.productTranslationsSet.userErrors[0]?.code ?? null;
  expect(await rows('catalog', productIdValue, loc)).toHaveLength(code ? 0 : 1);
  return code;
}

describe('product translations follow the product write rule', () => {
  it('the selling brand writes; another brand gets NOT_FOUND; a product also sold elsewhere needs every brand', async () => {
    expect(await productWrite(volt, VOLT_ONLY)).toBeNull();
    expect(await productWrite(nimbus, NIMBUS_ONLY)).toBeNull();
    expect(await productWrite(volt, NIMBUS_ONLY)).toBe('NOT_FOUND');
    expect(await productWrite(nimbus, VOLT_ONLY)).toBe('NOT_FOUND');
    expect(await productWrite(volt, SHARED)).toBe('FORBIDDEN');
    expect(await productWrite(regional, SHARED)).toBeNull();
  });

  it('attribute labels and image alt texts follow the same rule', async () => {
    const attempt = async (gql: Gql, id: string, key: string, url: string) => {
      const loc = locale();
      const input = {
        productId: id,
        locale: loc,
        attributeLabels: [{ key, label: 'Etichetta' }],
        imageAltTexts: [{ url, altText: 'Foto' }],
      };
      const res = await gql(SET_PRODUCT, { input });
      const code = res.body.data?.productTranslationsSet.userErrors[0]?.code ?? null;
      expect(await rows('catalog', id, loc)).toHaveLength(code ? 0 : 2);
      return code;
    };
    const volt50 = ['data', 'https://cdn.example.com/products/volt-sim-50gb/1.webp'] as const;
    const fibre = ['downloadSpeed', 'https://cdn.example.com/products/nimbus-fibre-150/1.webp'] as const;
    expect(await attempt(volt, VOLT_ONLY, ...volt50)).toBeNull();
    expect(await attempt(nimbus, VOLT_ONLY, ...volt50)).toBe('NOT_FOUND');
    expect(await attempt(volt, NIMBUS_ONLY, ...fibre)).toBe('NOT_FOUND');
    expect(await attempt(nimbus, NIMBUS_ONLY, ...fibre)).toBeNull();
  });

  it('removal follows the same rule', async () => {
    const res = await nimbus(REMOVE_PRODUCT, { input: { productId: VOLT_ONLY, locale: 'fr' } });
    expect(res.body.data?.productTranslationsRemove.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    expect(await rows('catalog', VOLT_ONLY, 'fr')).not.toHaveLength(0);
  });
});

describe('category translations need the all-brands grant', () => {
  it('admin writes; brand staff and two-brand staff are refused', async () => {
    for (const [gql, expected] of [
      [admin, null],
      [regional, 'FORBIDDEN'],
      [volt, 'FORBIDDEN'],
    ] as const) {
      const loc = locale();
      const res = await gql(SET_CATEGORY, { input: { categoryId: CATEGORY, locale: loc, name: 'Tablet' } });
      expect(res.body.data?.categoryTranslationsSet.userErrors[0]?.code ?? null).toBe(expected);
      expect(await rows('catalog', CATEGORY, loc)).toHaveLength(expected ? 0 : 1);
    }
  });
});

describe('promotion translations stay in the promotion brand', () => {
  it("the brand's staff write, the other brand's get NOT_FOUND", async () => {
    const made = await volt(
      `mutation ($input: PromotionCreateInput!) { promotionCreate(input: $input) { promotion { id } userErrors { code field } } }`,
      {
        input: {
          name: `Texts ${randomBytes(3).toString('hex')}`,
          active: false,
          conditions: [{ type: 'PRODUCTS_IN_CART', productIds: [VOLT_ONLY] }],
          actions: [{ type: 'PERCENT_OFF', percent: 10, target: 'RECURRING' }],
        },
      },
    );
    const id = made.body.data?.promotionCreate.promotion?.id as string;
    expect(made.body.data?.promotionCreate.userErrors).toEqual([]);
    const loc = locale();
    const other = await nimbus(SET_PROMOTION, { input: { promotionId: id, locale: loc, name: 'Sconto' } });
    expect(other.body.data?.promotionTranslationsSet.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    expect(await rows('promotion', id, loc)).toHaveLength(0);
    const own = await volt(SET_PROMOTION, { input: { promotionId: id, locale: loc, name: 'Sconto' } });
    expect(own.body.data?.promotionTranslationsSet.userErrors).toEqual([]);
    expect(await rows('promotion', id, loc)).toHaveLength(1);
    const read = await volt(
      `query ($id: ID!) @inContext(language: "${loc}") { promotion(id: $id) { name translations { locale value } } }`,
      { id },
    );
    expect(read.body.data?.promotion).toMatchObject({ name: 'Sconto', translations: [{ locale: loc, value: 'Sconto' }] });
  });
});

describe('shoppers, customers and partners never reach them', () => {
  it('the mutations are refused and the translations field is not theirs', async () => {
    for (const gql of [shopper, customer, partner]) {
      const res = await gql(SET_PRODUCT, { input: { productId: VOLT_ONLY, locale: 'it', name: 'x' } });
      expect(res.body.data?.productTranslationsSet ?? null).toBeNull();
      expect(codes(res).length).toBeGreaterThan(0);
      const read = await gql(`{ product(id: "${VOLT_ONLY}") { translations { locale } } }`);
      expect(read.body.data?.product?.translations ?? null).toBeNull();
      expect(codes(read).length).toBeGreaterThan(0);
    }
    expect(await rows('catalog', VOLT_ONLY, 'it')).toHaveLength(0);
  });
});
