import { randomBytes } from 'node:crypto';
import { seedId } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, codes, KEYS, productId, startWithManager } from './support/stack.js';

/**
 * Translated texts and the request context, through the router: `Accept-Language` picks the language,
 * `@inContext(language:)` overrides it, untranslated texts fall back (locale → language → storefront
 * default → stored text), cart lines follow the request's language, staff set and remove texts.
 */
let stack: Stack;
type Gql = ReturnType<typeof client>;
let french: Gql;
let swissFrench: Gql;
let plain: Gql;
let staff: Gql;

const SIM_20 = productId('volt-sim-20gb'); // translated into French by the seed
const PREPAID = productId('volt-prepaid-starter'); // not translated
const SIM_5 = productId('volt-sim-5gb');
const SIM_ONLY = seedId('category', 'sim-only-plans');

beforeAll(async () => {
  ({ stack, manager: staff } = await startWithManager());
  const h = stack.router.handler;
  french = client(h, KEYS.volt, { 'accept-language': 'fr' });
  swissFrench = client(h, KEYS.volt, { 'accept-language': 'fr-CH, de;q=0.5' });
  plain = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

const NAMES = `query ($ids: [ID!]!) { compareProducts(ids: $ids) { products { id name } } }`;
const namesOf = async (gql: Gql, query = NAMES) => {
  const res = await gql(query, { ids: [SIM_20, PREPAID] });
  expect(res.body.errors).toBeUndefined();
  return Object.fromEntries(res.body.data?.compareProducts.products.map((p: { id: string; name: string }) => [p.id, p.name]));
};

describe('texts in the request language', () => {
  it('Accept-Language: fr gives French names, and the stored text where none is written', async () => {
    expect(await namesOf(french)).toEqual({ [SIM_20]: 'Volt Flex 5G 20 Go', [PREPAID]: 'Volt Prepaid Starter 2GB' });
    expect(await namesOf(plain)).toEqual({ [SIM_20]: 'Volt Flex 5G 20GB', [PREPAID]: 'Volt Prepaid Starter 2GB' });
  });

  it('a regional locale falls back to its language', async () => {
    expect((await namesOf(swissFrench))[SIM_20]).toBe('Volt Flex 5G 20 Go');
  });

  it('@inContext(language:) on the operation overrides Accept-Language', async () => {
    const english = `query Names($ids: [ID!]!) @inContext(language: "en-IE") { compareProducts(ids: $ids) { products { id name } } }`;
    expect((await namesOf(french, english))[SIM_20]).toBe('Volt Flex 5G 20GB');
    const chosen = `query Names($ids: [ID!]!, $lang: String) @inContext(language: $lang, country: "FR") { compareProducts(ids: $ids) { products { id name } } }`;
    const res = await plain(chosen, { ids: [SIM_20, PREPAID], lang: 'fr' });
    expect(res.body.data?.compareProducts.products[0].name).toBe('Volt Flex 5G 20 Go');
  });

  it('refuses a malformed @inContext with BAD_USER_INPUT', async () => {
    const res = await plain(`query @inContext(language: "not a language") { storefront { name } }`);
    expect(res.status).toBe(400);
    expect(codes(res)).toContain('BAD_USER_INPUT');
    expect(res.body.data ?? null).toBeNull();
  });

  it('translates product detail, listing, categories and search', async () => {
    const detail = await french(`{ product(id: "${SIM_5}") { name description category { name description } } }`);
    expect(detail.body.data?.product).toMatchObject({
      name: 'Volt Essentiel 5 Go',
      description: expect.stringContaining('forfait'),
      category: { name: 'Forfaits SIM seule', description: expect.any(String) },
    });
    const listing = await french(`{ products(first: 100) { nodes { id name } } }`);
    const names = listing.body.data?.products.nodes.map((n: { name: string }) => n.name);
    expect(names).toContain('Volt Flex 5G 20 Go');
    expect(names).toContain('Volt Prepaid Starter 2GB');
    // Search matches the French name in a French request only.
    const search = `{ products(first: 10, query: "essentiel") { nodes { id name } } }`;
    expect((await french(search)).body.data?.products.nodes.map((n: { id: string }) => n.id)).toContain(SIM_5);
    expect((await plain(search)).body.data?.products.nodes.map((n: { id: string }) => n.id)).not.toContain(SIM_5);
  });

  it('a French page of 100 products costs the statements of a page of 10', async () => {
    const page = `query ($first: Int!) { products(first: $first) { nodes { name description category { name description } } } }`;
    const ten = await french(page, { first: 10 });
    const hundred = await french(page, { first: 100 });
    expect(hundred.body.errors).toBeUndefined();
    expect(hundred.statements).toBe(ten.statements);
  });

  it('cart line names follow the request language', async () => {
    const made = await french(
      `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cartToken cart { id lines { name } } userErrors { code } } }`,
      { input: { lines: [{ productId: SIM_20, quantity: 1 }] } },
    );
    const created = made.body.data?.cartCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.cart.lines[0].name).toBe('Volt Flex 5G 20 Go');
    const again = await plain(
      `query ($id: ID!, $t: String) @inContext(language: "en") { cart(id: $id, cartToken: $t) { lines { name } } }`,
      {
        id: created.cart.id,
        t: created.cartToken,
      },
    );
    expect(again.body.data?.cart.lines[0].name).toBe('Volt Flex 5G 20GB');
  });
});

describe('attribute labels and image alt texts', () => {
  const PARTS = `{ attributes { key label value } images { url altText } }`;

  it("come in the brand's second language from the demo data, in product pages and comparisons", async () => {
    const fr = await french(`{ product(id: "${SIM_5}") ${PARTS} }`);
    expect(fr.body.data?.product.attributes).toContainEqual(expect.objectContaining({ key: 'data', label: 'Données' }));
    expect(fr.body.data?.product.images[0].altText).toBe('Volt Essentiel 5 Go');
    const en = await plain(`{ product(id: "${SIM_5}") ${PARTS} }`);
    expect(en.body.data?.product.attributes).toContainEqual(expect.objectContaining({ key: 'data', label: 'Data' }));
    const german = client(stack.router.handler, KEYS.nimbus, { 'accept-language': 'de-DE' });
    const de = await german(`{ product(id: "${productId('nimbus-fibre-500')}") ${PARTS} }`);
    expect(de.body.data?.product.attributes).toContainEqual(
      expect.objectContaining({ key: 'downloadSpeed', label: 'Download-Geschwindigkeit' }),
    );
    expect(de.body.data?.product.images[0].altText).toBe('Nimbus Glasfaser 500');
    const compared = await french(`query ($ids: [ID!]!) { compareProducts(ids: $ids) { rows { key label } } }`, { ids: [SIM_5, SIM_20] });
    expect(compared.body.data?.compareProducts.rows).toContainEqual({ key: 'data', label: 'Données' });
  });
});

describe('staff write texts per locale', () => {
  const SET = `mutation ($input: ProductTranslationsSetInput!) { productTranslationsSet(input: $input) { product { id } userErrors { code field } } }`;
  const REMOVE = `mutation ($input: ProductTranslationsRemoveInput!) { productTranslationsRemove(input: $input) { product { id } userErrors { code field } } }`;

  it('sets, reads back in that language, lists them, and removes them', async () => {
    // A private-use locale of this run only, so no other test sees these texts.
    const locale = `es-x-${randomBytes(4).toString('hex')}`;
    const set = await staff(SET, { input: { productId: SIM_20, locale, name: 'Volt Flex 5G 20 GB (es)', description: 'Tarifa' } });
    expect(set.body.data?.productTranslationsSet.userErrors).toEqual([]);
    const asked = client(stack.router.handler, KEYS.volt, { 'accept-language': locale });
    expect((await namesOf(asked))[SIM_20]).toBe('Volt Flex 5G 20 GB (es)');
    const listed = await staff(`{ product(id: "${SIM_20}") { translations { locale field value } } }`);
    expect(listed.body.data?.product.translations).toEqual(
      expect.arrayContaining([
        { locale: 'fr', field: 'name', value: 'Volt Flex 5G 20 Go' },
        { locale, field: 'name', value: 'Volt Flex 5G 20 GB (es)' },
        { locale, field: 'description', value: 'Tarifa' },
      ]),
    );
    // An empty text removes one field; remove drops the locale.
    await staff(SET, { input: { productId: SIM_20, locale, description: '' } });
    expect((await namesOf(asked))[SIM_20]).toBe('Volt Flex 5G 20 GB (es)');
    const removed = await staff(REMOVE, { input: { productId: SIM_20, locale } });
    expect(removed.body.data?.productTranslationsRemove.userErrors).toEqual([]);
    expect((await namesOf(asked))[SIM_20]).toBe('Volt Flex 5G 20GB');
  });

  it("set and remove attribute labels and image alt texts by the product's own keys and URLs", async () => {
    const locale = `es-x-${randomBytes(4).toString('hex')}`;
    const asked = client(stack.router.handler, KEYS.volt, { 'accept-language': locale });
    const parts = async () =>
      (await asked(`{ product(id: "${SIM_20}") { attributes { key label } images { url altText } } }`)).body.data?.product;
    const url = (await parts()).images[0].url as string;
    const set = await staff(SET, {
      input: { productId: SIM_20, locale, attributeLabels: [{ key: 'data', label: 'Datos' }], imageAltTexts: [{ url, altText: 'Foto' }] },
    });
    expect(set.body.data?.productTranslationsSet.userErrors).toEqual([]);
    expect(await parts()).toMatchObject({
      attributes: expect.arrayContaining([{ key: 'data', label: 'Datos' }]),
      images: [{ url, altText: 'Foto' }],
    });
    // Keys and URLs the product does not have are refused, and nothing of the request is written.
    const wrong = await staff(SET, {
      input: {
        productId: SIM_20,
        locale,
        name: 'Nunca',
        attributeLabels: [{ key: 'noSuchKey', label: 'x' }],
        imageAltTexts: [{ url: 'https://cdn.example.com/none.webp', altText: 'x' }],
      },
    });
    expect(wrong.body.data?.productTranslationsSet.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'attributeLabels', '0', 'key'] },
      { code: 'NOT_FOUND', field: ['input', 'imageAltTexts', '0', 'url'] },
    ]);
    expect((await namesOf(asked))[SIM_20]).toBe('Volt Flex 5G 20GB');
    // An empty label removes that one translation.
    await staff(SET, { input: { productId: SIM_20, locale, attributeLabels: [{ key: 'data', label: '' }] } });
    expect((await parts()).attributes).toContainEqual({ key: 'data', label: 'Data' });
    await staff(REMOVE, { input: { productId: SIM_20, locale } });
    expect((await parts()).images[0].altText).not.toBe('Foto');
  });

  it('refuses a malformed locale or a too-long text, writing nothing', async () => {
    const bad = await staff(SET, { input: { productId: SIM_20, locale: 'not a locale', name: 'x' } });
    expect(bad.body.data?.productTranslationsSet.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'locale'] }]);
    const long = await staff(SET, { input: { productId: SIM_20, locale: 'it', name: 'x'.repeat(300) } });
    expect(long.body.data?.productTranslationsSet.userErrors).toEqual([{ code: 'TOO_LONG', field: ['input', 'name'] }]);
  });

  it('staff without the all-brands grant may not translate shared categories', async () => {
    const res = await staff(
      `mutation ($input: CategoryTranslationsSetInput!) { categoryTranslationsSet(input: $input) { category { id } userErrors { code } } }`,
      { input: { categoryId: SIM_ONLY, locale: 'it', name: 'Solo SIM' } },
    );
    expect(res.body.data?.categoryTranslationsSet.userErrors).toEqual([{ code: 'FORBIDDEN' }]);
  });
});
