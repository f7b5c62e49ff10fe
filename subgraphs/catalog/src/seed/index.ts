import { type SeedOptions, seedId, Translation } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BundleItem, Category, Price, PriceList, Product, ProductAddon, Store, Storefront, StorefrontProduct } from '../entities/index.js';
import { type BrandKey, CATEGORIES, DEMO_WEB_ORIGINS, PRODUCTS, type SeedProduct, STOREFRONTS, STORES } from './demo-data.js';
import { generateProducts } from './generate.js';
import { demoTranslations } from './translations.js';

export const storefrontId = (key: BrandKey) => seedId('storefront', key);
export const productId = (slug: string) => seedId('product', slug);
export const categoryId = (slug: string) => seedId('category', slug);
export const defaultPriceListId = (key: BrandKey) => seedId('price-list', key);
/** A B2B account's negotiated list, for the demo business customer of the customer subgraph. */
export const DEMO_BUSINESS_CUSTOMER_ID = seedId('customer', 'acme-telecom-buyers');

const CHUNK = 5_000;

/**
 * Multi-row inserts of entity-shaped rows (property names, as the ORM takes them), `CHUNK` rows per statement
 * sent as one JSON parameter: 100,000 generated products load in seconds, not the minute the ORM's
 * per-entity SQL building took. Rows that exist are left alone.
 */
// biome-ignore lint/suspicious/noExplicitAny: insert rows are entity-shaped dictionaries
async function insert(em: EntityManager, entity: any, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const meta = em.getMetadata().get(entity);
  const table = `"${meta.schema ?? 'catalog'}"."${meta.tableName}"`;
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const column = new Map(keys.map((key) => [key, meta.properties[key].fieldNames[0]]));
  const list = keys.map((key) => `"${column.get(key)}"`).join(', ');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((row) => Object.fromEntries(keys.map((key) => [column.get(key), row[key] ?? null])));
    await em.execute(
      `insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ?::json) on conflict do nothing`,
      [JSON.stringify(chunk)],
    );
  }
}

/**
 * Demo catalog: two white-label brands, their assortments, prices and stores (their keys are the customer subgraph's).
 * `scale` adds that many generated products (deterministic) for benchmarks. Idempotent: rows that
 * exist are left alone, so re-running with a larger scale only adds.
 */
export async function seedCatalog(em: EntityManager, options: SeedOptions = {}): Promise<Record<string, unknown>> {
  const products: SeedProduct[] = [...PRODUCTS, ...(options.scale ? generateProducts(options.scale) : [])];
  const now = new Date();
  await em.transactional(async (tx) => {
    const t = tx as EntityManager;
    await insert(
      t,
      Storefront,
      STOREFRONTS.map((s) => ({
        id: storefrontId(s.key),
        slug: s.slug,
        name: s.name,
        currencyCode: s.currencyCode,
        locale: s.locale,
        timeZone: s.timeZone,
        theme: s.theme,
        allowedOrigins: DEMO_WEB_ORIGINS,
        createdAt: now,
      })),
    );
    await insert(
      t,
      Store,
      STORES.map((s) => ({
        id: seedId('store', `${s.brand}:${s.name}`),
        storefront: storefrontId(s.brand),
        name: s.name,
        line1: s.line1,
        city: s.city,
        postcode: s.postcode,
        country: s.country,
        latitude: s.lat,
        longitude: s.lng,
        phone: s.phone,
        openingHours: s.openingHours,
      })),
    );
    await insert(
      t,
      Category,
      CATEGORIES.map((c, i) => ({
        id: categoryId(c.slug),
        slug: c.slug,
        name: c.name,
        parent: c.parent ? categoryId(c.parent) : null,
        position: i,
      })),
    );
    await insert(
      t,
      Product,
      products.map((p, i) => ({
        id: productId(p.slug),
        slug: p.slug,
        name: p.name,
        kind: p.kind,
        status: 'ACTIVE',
        description: p.description,
        category: categoryId(p.category),
        attributes: p.attributes,
        images: p.images,
        // Spread creation times so NEWEST has a meaningful order.
        createdAt: new Date(now.getTime() - (products.length - i) * 60_000),
        updatedAt: now,
      })),
    );
    await insert(
      t,
      ProductAddon,
      products.flatMap((p) => (p.addons ?? []).map((a) => ({ product: productId(p.slug), addon: productId(a) }))),
    );
    await insert(
      t,
      BundleItem,
      products.flatMap((p) => (p.bundleItems ?? []).map((item) => ({ bundle: productId(p.slug), item: productId(item), quantity: 1 }))),
    );
    await insert(
      t,
      StorefrontProduct,
      products.flatMap((p, i) =>
        p.storefronts.map((brand) => ({
          storefront: storefrontId(brand),
          product: productId(p.slug),
          position: i,
          // The headline list price (recurring first), as refreshListAmounts would set it after the prices.
          listAmount: p.prices[brand]?.recurring ?? p.prices[brand]?.oneOff ?? null,
        })),
      ),
    );
    await insert(
      t,
      PriceList,
      STOREFRONTS.map((s) => ({
        id: defaultPriceListId(s.key),
        storefront: storefrontId(s.key),
        name: `${s.name} list prices`,
        currencyCode: s.currencyCode,
        createdAt: now,
      })),
    );
    // Acme (a business customer of Volt) negotiated 15% off recurring plan prices.
    await insert(t, PriceList, [
      {
        id: seedId('price-list', 'volt:acme'),
        storefront: storefrontId('volt'),
        name: 'Acme Telecom Buyers contract',
        currencyCode: 'EUR',
        customerId: DEMO_BUSINESS_CUSTOMER_ID,
        createdAt: now,
      },
    ]);
    await insert(
      t,
      Price,
      products.flatMap((p) => priceRows(p)),
    );
    await insert(
      t,
      Price,
      products
        .filter((p) => p.kind === 'PLAN' && p.prices.volt?.recurring)
        .map((p) => ({
          id: seedId('price', `volt:acme:${p.slug}`),
          priceList: seedId('price-list', 'volt:acme'),
          product: productId(p.slug),
          type: 'RECURRING',
          amount: (Math.round(Number(p.prices.volt?.recurring) * 85) / 100).toFixed(2),
          interval: p.prices.volt?.interval ?? 'MONTH',
          taxCategory: p.prices.volt?.taxCategory ?? 'STANDARD',
        })),
    );
    await insert(t, Translation, demoTranslations(productId, categoryId, PRODUCTS));
  });
  return {
    storefronts: STOREFRONTS.map((s) => ({ slug: s.slug, name: s.name, id: storefrontId(s.key) })),
    products: products.length,
  };
}

function priceRows(p: SeedProduct): Record<string, unknown>[] {
  return (Object.entries(p.prices) as [BrandKey, NonNullable<SeedProduct['prices'][BrandKey]>][]).flatMap(([brand, price]) => {
    const base = { priceList: defaultPriceListId(brand), product: productId(p.slug), taxCategory: price.taxCategory ?? 'STANDARD' };
    const rows: Record<string, unknown>[] = [];
    if (price.recurring)
      rows.push({
        ...base,
        id: seedId('price', `${brand}:${p.slug}:r`),
        type: 'RECURRING',
        amount: price.recurring,
        interval: price.interval ?? 'MONTH',
        deposit: price.oneOff ? null : (price.deposit ?? null),
      });
    if (price.oneOff)
      rows.push({
        ...base,
        id: seedId('price', `${brand}:${p.slug}:o`),
        type: 'ONE_OFF',
        amount: price.oneOff,
        interval: null,
        deposit: price.deposit ?? null,
      });
    return rows;
  });
}
