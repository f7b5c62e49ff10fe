import { type BootedSubgraph, newId, type Principal } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMonthlyPrices, bootWithOwnStorefront, gql, type sqlOn } from './helpers.js';

/**
 * The storefront search entries (migration 20261205-s01) stay equal to their products and assortment rows
 * whatever writes them, and a text search answers what a search over the products themselves answers
 * (same matches, order, pages both ways, facets) after every kind of write.
 */
const tag = newId().slice(-8);
// A word only this file's products carry, so other files' products never match.
const WORD = `qz${tag}`;

let catalog: BootedSubgraph;
let SHOP: string;
let SHOP_LIST: string;
let staff: Principal;
let sql: ReturnType<typeof sqlOn>;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({
    catalog,
    sql,
    storefrontId: SHOP,
    priceList: SHOP_LIST,
    staff,
    stop,
  } = await bootWithOwnStorefront(`search-${tag}`, 'Search entries'));
});
afterAll(() => stop());

/** Entries that differ from their assortment row and product (both ways, one statement). */
async function drift(): Promise<unknown[]> {
  return sql(`with truth as (select sp.storefront_id, sp.product_id, p.status, p.kind, p.category_id, sp.list_amount,
      catalog.facet_band(sp.list_amount) as band, sp.position, p.search::text as search
      from catalog.storefront_product sp join catalog.product p on p.id = sp.product_id),
    kept as (select storefront_id, product_id, status, kind, category_id, list_amount, band, position, search::text from catalog.search_entry)
    (table truth except table kept) union all (table kept except table truth)`);
}

const SEARCH = `query ($q: String!, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String, $filter: ProductFilter) {
  products(query: $q, sort: $sort, first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    facets { kinds { kind count } priceBands { band count } } } }`;

type Answer = {
  totalCount: number;
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
  facets: { kinds: { kind: string; count: number }[]; priceBands: { band: string; count: number }[] };
};

async function search(variables: Record<string, unknown>, as = staff): Promise<Answer> {
  // A trailing space: the word is matched whole, not as a prefix still being typed.
  const res = await gql(catalog, as, SEARCH, { q: `${WORD} `, ...variables });
  expect(res.body.errors).toBeUndefined();
  return (res.body.data as { products: Answer }).products;
}

const ORDER: Record<string, string> = {
  RELEVANCE: "ts_rank_cd(p.search, to_tsquery('english', ?)) desc, p.id desc",
  FEATURED: 'sp.position, p.id',
  // No name of these products is translated into the storefront's locale.
  NAME: 'lower(p.name), p.id',
  PRICE_ASC: 'coalesce(sp.list_amount, 9999999999), p.id',
  PRICE_DESC: 'coalesce(sp.list_amount, -1) desc, p.id desc',
  NEWEST: 'p.id desc',
};

/** The matches counted from the products and assortment rows themselves, in `sort`'s order. */
type Truth = { ids: string[]; kinds: Record<string, number>; bands: Record<string, number>; plans: number };
async function truth(sort: string, statuses: string[]): Promise<Truth> {
  const params = [SHOP, WORD, statuses, ...(sort === 'RELEVANCE' ? [WORD] : [])];
  const rows = await sql(
    `select p.id, p.kind, catalog.facet_band(sp.list_amount) as band from catalog.product p join catalog.storefront_product sp on sp.product_id = p.id and sp.storefront_id = ?
     where p.search @@ to_tsquery('english', ?) and p.status in (?) order by ${ORDER[sort]}`,
    params,
  );
  const kinds: Record<string, number> = {};
  const bands: Record<string, number> = {};
  for (const r of rows) {
    kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
    if (r.band) bands[r.band] = (bands[r.band] ?? 0) + 1;
  }
  return { ids: rows.map((r) => r.id as string), kinds, bands, plans: kinds.PLAN ?? 0 };
}

/** Every sort, paged forward by 2 and backward by 2, equals the truth; so do the total, the kind and band counts, a kind filter's total. */
async function expectExact(statuses = ['DRAFT', 'ACTIVE', 'ARCHIVED']): Promise<void> {
  expect(await drift()).toEqual([]);
  const filter = { statuses };
  for (const sort of Object.keys(ORDER)) {
    const expected = await truth(sort, statuses);
    const forward: string[] = [];
    let after: string | null = null;
    let first: Answer | null = null;
    for (let i = 0; i < 20; i++) {
      const page: Answer = await search({ sort, first: 2, after, filter });
      first ??= page;
      forward.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(forward, sort).toEqual(expected.ids);
    const backward: string[] = [];
    let before: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: Answer = await search({ sort, last: 2, before, filter });
      backward.unshift(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward, sort).toEqual(expected.ids);
    expect(first?.totalCount).toBe(expected.ids.length);
    expect(Object.fromEntries((first?.facets.kinds ?? []).map((k) => [k.kind, k.count]))).toEqual(expected.kinds);
    expect(Object.fromEntries((first?.facets.priceBands ?? []).map((b) => [b.band, b.count]))).toEqual(expected.bands);
    // A filter on the matches: the total follows it, the kind facet ignores its own filter.
    const plans = await search({ sort, first: 1, filter: { statuses, kinds: ['PLAN'] } });
    expect(plans.totalCount).toBe(expected.plans);
    expect(Object.fromEntries(plans.facets.kinds.map((k) => [k.kind, k.count]))).toEqual(expected.kinds);
  }
}

const CREATE = `mutation ($input: ProductCreateInput!) { productCreate(input: $input) { product { id } userErrors { code } } }`;
const UPDATE = `mutation ($input: ProductUpdateInput!) { productUpdate(input: $input) { product { id } userErrors { code } } }`;
const ARCHIVE = `mutation ($id: ID!) { productArchive(input: { id: $id }) { product { id } userErrors { code } } }`;
const PRICE = `mutation ($input: PriceSetInput!) { priceSet(input: $input) { price { id } userErrors { code } } }`;
const ASSORTMENT = `mutation ($input: AssortmentUpdateInput!) { assortmentUpdate(input: $input) { productCount userErrors { code } } }`;
const TEXTS = `mutation ($input: ProductTranslationsSetInput!) { productTranslationsSet(input: $input) { product { id } userErrors { code } } }`;

async function write(query: string, variables: Record<string, unknown>, as = staff): Promise<Record<string, any>> {
  const res = await gql(catalog, as, query, variables);
  expect(res.body.errors).toBeUndefined();
  const payload = Object.values(res.body.data as Record<string, any>)[0];
  if (payload && 'userErrors' in payload) expect(payload.userErrors).toEqual([]);
  return payload;
}

async function createProduct(n: number, kind: string, name: string, status = 'ACTIVE'): Promise<string> {
  const input = { slug: `search-${tag}-${n}`, name, kind, description: `about ${name}`, status, storefrontIds: [SHOP] };
  return (await write(CREATE, { input })).product.id;
}
const setPrice = (productId: string, amount: string) =>
  write(PRICE, { input: { priceListId: SHOP_LIST, productId, type: 'RECURRING', amount, interval: 'MONTH' } });

describe('search entries', () => {
  it('start equal to the assortments (the migration backfilled them, triggers kept the seed)', async () => {
    expect(await drift()).toEqual([]);
  });

  it('keep searches exact after creates, price changes, updates, archives, assortment changes, bulk prices and deletes', async () => {
    const plan = await createProduct(1, 'PLAN', `${WORD} ${WORD} unlimited plan`);
    const device = await createProduct(2, 'DEVICE', `${WORD} phone`, 'DRAFT');
    const addon = await createProduct(3, 'ADDON', `Roaming ${WORD}`);
    const other = await createProduct(4, 'ADDON', 'Unrelated extra');
    await setPrice(plan, '9.00');
    await setPrice(device, '120.00');
    await setPrice(addon, '30.00');
    await expectExact();

    // Texts: a product starts or stops matching; the rank changes with the name.
    await write(UPDATE, { input: { id: other, name: `Extra ${WORD}` } });
    await write(UPDATE, { input: { id: addon, name: 'Roaming only' } });
    const category = newId();
    await sql('insert into catalog.category (id, slug, name, position) values (?, ?, ?, 0)', [category, `search-${tag}`, 'Search tests']);
    await write(UPDATE, { input: { id: device, status: 'ACTIVE', categoryId: category } });
    // No API changes a product's kind; SQL does.
    await sql(`update catalog.product set kind = 'BUNDLE' where id = ?`, [device]);
    await setPrice(plan, '60.00');
    await expectExact();
    await write(ARCHIVE, { id: plan });
    await expectExact(['ACTIVE']);
    await expectExact();

    await write(ASSORTMENT, { input: { storefrontId: SHOP, removeProductIds: [device] } });
    await expectExact();
    // Back in (a product outside the brand's assortments is unknown to its staff: SQL, as a brand-less writer would).
    await sql('insert into catalog.storefront_product (storefront_id, product_id, position, list_amount) values (?, ?, 7, 120)', [
      SHOP,
      device,
    ]);
    await expectExact();
    // The merchandising order changes (FEATURED): the entries follow.
    await sql('update catalog.storefront_product set position = 1000 - position where storefront_id = ?', [SHOP]);
    await expectExact();

    expect(
      await applyMonthlyPrices(catalog, SHOP, SHOP_LIST, [
        [other, '75.00'],
        [device, '5.00'],
      ]),
    ).toEqual([{ ok: true }, { ok: true }]);
    await expectExact();

    await sql('delete from catalog.category where id = ?', [category]);
    await sql('delete from catalog.product where id = ?', [device]);
    await expectExact();
  });

  it('match names translated into the asked language, within the storefront', async () => {
    const french = await createProduct(5, 'PLAN', 'Forfait illimité');
    const locale = `fr-x-${tag}`;
    await write(TEXTS, { input: { productId: french, locale, name: `Forfait ${WORD}` } });
    const asked = { ...staff, locale } as Principal;
    const found = await search({ first: 10 }, asked);
    expect(found.nodes.map((n) => n.id)).toContain(french);
    expect(found.totalCount).toBe(found.nodes.length);
    // Without the language it does not match; out of the assortment it does not either.
    expect((await search({ first: 10 })).nodes.map((n) => n.id)).not.toContain(french);
    await write(ASSORTMENT, { input: { storefrontId: SHOP, removeProductIds: [french] } });
    expect((await search({ first: 10 }, asked)).nodes.map((n) => n.id)).not.toContain(french);
    expect(await drift()).toEqual([]);
  });

  it('stay exact under concurrent writers to the same products and assortment', async () => {
    const ids = await Promise.all([10, 11, 12, 13].map((n) => createProduct(n, n % 2 ? 'PLAN' : 'BUNDLE', `${WORD} ${n}`, 'DRAFT')));
    const writes = ids.flatMap((id, i) => [
      (async () => {
        const price = (amount: string) =>
          gql(catalog, staff, PRICE, { input: { priceListId: SHOP_LIST, productId: id, type: 'RECURRING', amount, interval: 'MONTH' } });
        await price(`${5 + i * 30}.00`);
        await gql(catalog, staff, UPDATE, { input: { id, status: 'ACTIVE', name: `${WORD} renamed ${i}` } });
        await price(`${12 + i * 20}.00`);
      })(),
      gql(catalog, staff, ASSORTMENT, { input: { storefrontId: SHOP, removeProductIds: [ids[(i + 1) % ids.length]] } }),
      gql(catalog, staff, ASSORTMENT, { input: { storefrontId: SHOP, addProductIds: [ids[(i + 2) % ids.length]] } }),
    ]);
    await Promise.all(writes);
    await expectExact();
  });
});
