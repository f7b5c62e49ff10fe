import { isDeepStrictEqual } from 'node:util';
import { type BootedSubgraph, newId, type Principal } from '@dcrm/kit';
import { principals } from '@dcrm/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storefrontId } from '../src/seed/index.js';
import { applyMonthlyPrices, bootWithOwnStorefront, gql, type sqlOn } from './helpers.js';

/**
 * The pre-aggregated facet counts stay equal to a fresh count of the products, whatever writes them:
 * mutations, bulk price updates, assortment changes, deletes and category deletes in SQL, concurrent writers.
 * Other test files write products at the same time: each comparison is one statement (one snapshot).
 */
const VOLT = storefrontId('volt');
const tag = newId().slice(-8);

let catalog: BootedSubgraph;
// A storefront of this file's own: other files write Volt's products meanwhile, so API answers are compared there.
let SHOP: string;
let SHOP_LIST: string;
let staff: Principal;
let sql: ReturnType<typeof sqlOn>;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ catalog, sql, storefrontId: SHOP, priceList: SHOP_LIST, staff, stop } = await bootWithOwnStorefront(`facets-${tag}`, 'Facet counts'));
});
afterAll(() => stop());

/** Rows where the maintained counts and a full count disagree (both in one statement). */
async function drift(): Promise<unknown[]> {
  return sql(`with truth as (
      select sp.storefront_id, p.status, p.kind, p.category_id, catalog.facet_band(sp.list_amount) as band, count(*)::int as n
      from catalog.product p join catalog.storefront_product sp on sp.product_id = p.id group by 1, 2, 3, 4, 5
      union all select null, p.status, p.kind, p.category_id, null, count(*)::int from catalog.product p group by 2, 3, 4),
    kept as (select storefront_id, status, kind, category_id, band, count as n from catalog.facet_count where count <> 0)
    (table truth except table kept) union all (table kept except table truth)`);
}

const FACETS = `query ($filter: ProductFilter) { products(first: 1, filter: $filter) {
  totalCount facets { kinds { kind count } categories { category { id } count } priceBands { band count } } } }`;

type Facets = {
  kinds: { kind: string; count: number }[];
  categories: { category: { id: string }; count: number }[];
  priceBands: { band: string; count: number }[];
};

/** What the API answers, and the same facets counted from the products (disjunctive: a facet ignores its own filter). */
async function compare(principal: Principal, filter: { kinds?: string[]; statuses?: string[] } = {}) {
  const res = await gql(catalog, principal, FACETS, { filter });
  expect(res.body.errors).toBeUndefined();
  const { totalCount, facets } = (res.body.data as { products: { totalCount: number; facets: Facets } }).products;
  const statuses = filter.statuses ?? ['DRAFT', 'ACTIVE', 'ARCHIVED'];
  const kinds = filter.kinds ?? ['PLAN', 'ADDON', 'DEVICE', 'BUNDLE'];
  const [counted] = await sql(
    `with s as (select p.kind, p.category_id, catalog.facet_band(sp.list_amount) as band from catalog.product p
       join catalog.storefront_product sp on sp.product_id = p.id and sp.storefront_id = ? where p.status in (?))
     select (select count(*)::int from s where kind in (?)) as total,
       (select coalesce(json_object_agg(kind, n), '{}') from (select kind, count(*)::int as n from s group by kind) k) as kinds,
       (select coalesce(json_object_agg(category_id, n), '{}') from (select category_id, count(*)::int as n from s
          where kind in (?) and category_id is not null group by category_id) c) as categories,
       (select coalesce(json_object_agg(band, n), '{}') from (select band, count(*)::int as n from s
          where kind in (?) and band is not null group by band) b) as bands`,
    [principal.storefrontId, statuses, kinds, kinds, kinds],
  );
  return {
    answered: {
      total: totalCount,
      kinds: Object.fromEntries(facets.kinds.map((k) => [k.kind, k.count])),
      categories: Object.fromEntries(facets.categories.map((c) => [c.category.id, c.count])),
      bands: Object.fromEntries(facets.priceBands.map((b) => [b.band, b.count])),
    },
    counted,
  };
}

async function expectCounted(principal: Principal, filter: { kinds?: string[]; statuses?: string[] } = {}): Promise<void> {
  const { answered, counted } = await compare(principal, filter);
  expect(answered).toEqual(counted);
}

const CREATE = `mutation ($input: ProductCreateInput!) { productCreate(input: $input) { product { id } userErrors { code } } }`;
const UPDATE = `mutation ($input: ProductUpdateInput!) { productUpdate(input: $input) { product { id } userErrors { code } } }`;
const ARCHIVE = `mutation ($id: ID!) { productArchive(input: { id: $id }) { product { id } userErrors { code } } }`;
const PRICE = `mutation ($input: PriceSetInput!) { priceSet(input: $input) { price { id } userErrors { code } } }`;
const ASSORTMENT = `mutation ($input: AssortmentUpdateInput!) { assortmentUpdate(input: $input) { productCount userErrors { code } } }`;

async function ok<T>(query: string, variables: Record<string, unknown>, pick: (data: Record<string, any>) => T, as = staff): Promise<T> {
  const res = await gql(catalog, as, query, variables);
  expect(res.body.errors).toBeUndefined();
  return pick(res.body.data as Record<string, any>);
}

async function createProduct(n: number, kind: string, status: 'DRAFT' | 'ACTIVE', categoryId: string | null = null): Promise<string> {
  const input = { slug: `facet-${tag}-${n}`, name: `Facet ${n}`, kind, description: 'counted', categoryId, status, storefrontIds: [SHOP] };
  return ok(CREATE, { input }, (d) => {
    expect(d.productCreate.userErrors).toEqual([]);
    return d.productCreate.product.id as string;
  });
}
const setPrice = (productId: string, amount: string) =>
  ok(PRICE, { input: { priceListId: SHOP_LIST, productId, type: 'RECURRING', amount, interval: 'MONTH' } }, (d) =>
    expect(d.priceSet.userErrors).toEqual([]),
  );

describe('facet counts', () => {
  it('start equal to a full count (the migration backfilled them, triggers kept the seed)', async () => {
    expect(await drift()).toEqual([]);
    // Volt's seeded catalogue, which other files change meanwhile: equal in one of a few tries.
    let last: Awaited<ReturnType<typeof compare>> | null = null;
    for (let i = 0; i < 5 && (!last || !isDeepStrictEqual(last.answered, last.counted)); i++)
      last = await compare(principals.shopper(VOLT), { statuses: ['ACTIVE'] });
    expect(last?.answered).toEqual(last?.counted);
    // Brand-less staff see every product (no storefront: no list price, no band); other files add products too.
    const everywhere = async () => {
      const res = await gql(catalog, principals.staff(null), FACETS, {});
      const { totalCount, facets } = (res.body.data as { products: { totalCount: number; facets: Facets } }).products;
      const [counted] = await sql(
        `select count(*)::int as total, (select json_object_agg(kind, n) from (select kind, count(*)::int as n from catalog.product group by kind) k) as kinds
         from catalog.product`,
      );
      return { answered: { total: totalCount, kinds: Object.fromEntries(facets.kinds.map((k) => [k.kind, k.count])) }, counted, facets };
    };
    let all = await everywhere();
    for (let i = 0; i < 4 && !isDeepStrictEqual(all.answered, all.counted); i++) all = await everywhere();
    expect(all.answered).toEqual(all.counted);
    const everything = all;
    expect(everything.facets.priceBands).toEqual([]);
  });

  it('follow creates, price changes, updates, archives, assortment changes, bulk price updates and deletes', async () => {
    // Categories are global (written by staff of every brand); the subject here is the products in them.
    const category = newId();
    await sql('insert into catalog.category (id, slug, name, position) values (?, ?, ?, 0)', [category, `facet-${tag}`, 'Facet tests']);
    const plan = await createProduct(1, 'PLAN', 'ACTIVE', category);
    const device = await createProduct(2, 'DEVICE', 'DRAFT', category);
    const addon = await createProduct(3, 'ADDON', 'ACTIVE');
    expect(await drift()).toEqual([]);

    await setPrice(plan, '9.00');
    await setPrice(device, '120.00');
    await setPrice(plan, '30.00'); // another band
    expect(await drift()).toEqual([]);
    await expectCounted(staff);

    await ok(UPDATE, { input: { id: device, status: 'ACTIVE', categoryId: null } }, (d) => expect(d.productUpdate.userErrors).toEqual([]));
    await ok(UPDATE, { input: { id: plan, name: 'Renamed, counts unchanged' } }, (d) => expect(d.productUpdate.userErrors).toEqual([]));
    await ok(ARCHIVE, { id: addon }, (d) => expect(d.productArchive.userErrors).toEqual([]));
    expect(await drift()).toEqual([]);
    await expectCounted(staff, { statuses: ['ACTIVE'] });
    await expectCounted(staff, { kinds: ['PLAN', 'DEVICE'] });

    await ok(ASSORTMENT, { input: { storefrontId: SHOP, removeProductIds: [plan] } }, (d) =>
      expect(d.assortmentUpdate.userErrors).toEqual([]),
    );
    expect(await drift()).toEqual([]);
    // Back in (a product outside the brand's assortments is unknown to its staff: SQL, as a brand-less writer would).
    await sql('insert into catalog.storefront_product (storefront_id, product_id, position, list_amount) values (?, ?, 0, 30)', [
      SHOP,
      plan,
    ]);
    expect(await drift()).toEqual([]);

    // The bulk price update (a job of the customer subgraph, applied here) moves products between bands too.
    expect(
      await applyMonthlyPrices(catalog, SHOP, SHOP_LIST, [
        [plan, '5.00'],
        [device, '60.00'],
      ]),
    ).toEqual([{ ok: true }, { ok: true }]);
    expect(await drift()).toEqual([]);
    await expectCounted(staff);

    // No API deletes products or categories; SQL does (a category's products keep existing, uncategorised).
    await sql('delete from catalog.category where id = ?', [category]);
    expect(await drift()).toEqual([]);
    await sql('delete from catalog.product where id in (?)', [[plan, device]]);
    expect(await drift()).toEqual([]);
    await expectCounted(staff);
  });

  it('stay exact under concurrent writers to the same products and counts', async () => {
    const ids = await Promise.all([10, 11, 12, 13].map((n) => createProduct(n, n % 2 ? 'PLAN' : 'BUNDLE', 'DRAFT')));
    // Each product's own writes in order (two price upserts of one product at once are another matter), the
    // products and the assortment changes at once: they share count rows and race on products and assortments.
    const writes = ids.flatMap((id, i) => [
      (async () => {
        // NOT_FOUND when a concurrent assortment change took the product out of Volt: fine, nothing written.
        const price = (amount: string) =>
          ok(PRICE, { input: { priceListId: SHOP_LIST, productId: id, type: 'RECURRING', amount, interval: 'MONTH' } }, () => undefined);
        await price(`${5 + i * 30}.00`);
        await ok(UPDATE, { input: { id, status: 'ACTIVE' } }, () => undefined);
        await price(`${12 + i * 20}.00`);
      })(),
      ok(ASSORTMENT, { input: { storefrontId: SHOP, removeProductIds: [ids[(i + 1) % ids.length]] } }, () => undefined),
      ok(ASSORTMENT, { input: { storefrontId: SHOP, addProductIds: [ids[(i + 2) % ids.length]] } }, () => undefined),
    ]);
    await Promise.all(writes);
    expect(await drift()).toEqual([]);
    await expectCounted(staff);
  });
});
