import { byId, executePrepared, groupedBy, isUuid, type KnownLoader, memo, type Principal, thenNow } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { facetCountScope } from './domain/facet-counts.js';
import { pricingContext, selectPrices } from './domain/pricing.js';
import { PRODUCT_COLUMNS } from './domain/product-listing.js';
import { type PriceScope, priceListFilter, priceRowsOf, productColumns, productDetailSql } from './domain/product-rows.js';
import { assortmentJoin, statusFilter, type Visibility, visibilityOf } from './domain/visibility.js';
import type { IStorefront } from './entities/index.js';
import { storesByIds } from './entities/storefront.repository.js';
import {
  type CategoryView,
  categoryView,
  type PriceView,
  type ProductView,
  priceView,
  productView,
  type StoreView,
} from './entities/views.js';
import { type CatalogTexts, createTextLoaders } from './loaders-texts.js';

/** A batched one-to-many lookup (plain when primed, see kit `KnownLoader`). */
export type ListLoader<T> = { load(key: string): T[] | Promise<T[]> };

type Row = Record<string, unknown>;

export type CategoryTree = { all: CategoryView[]; counts: Map<string, number> };

// A cart's product lookup asks for its storefront's locale each time: prepared plain rows, as the product lookups,
// not an ORM find (the read-only Storefront fields are the entity's properties).
const STOREFRONTS = `select id, slug, name, currency_code as "currencyCode", locale, time_zone as "timeZone", theme,
  allowed_origins as "allowedOrigins", created_at as "createdAt" from "catalog"."storefront" where id in (?)`;

export type CatalogLoaders = {
  visibility: () => Visibility;
  product: DataLoader<string, ProductView | null>;
  productBySlug: DataLoader<string, ProductView | null>;
  /**
   * A product by id or slug with its prices and, with `addons`, its compatible add-ons and theirs: one
   * statement (product-rows.ts), priming the loaders its fields read. Null when not visible.
   */
  productDetail: (by: { column: 'id' | 'slug'; key: string; addons: boolean }) => Promise<ProductView | null>;
  /** Views of rows read with `productColumns` (prices and texts primed): what a page of products becomes. */
  productViews: (rows: Row[]) => Promise<ProductView[]>;
  /**
   * The select list reading product rows (alias `p`) with their prices and texts and, with `category`,
   * each one's category row with its texts (`category_row`): a page naming its categories is one statement.
   */
  productColumns: (params: unknown[], category?: boolean) => string;
  prices: KnownLoader<string, PriceView[]>;
  compatibleAddons: ListLoader<ProductView>;
  bundleItems: ListLoader<ProductView>;
  category: KnownLoader<string, CategoryView | null>;
  /** Every category with its product count (descendants included) for this request's visibility. */
  categoryTree: () => Promise<CategoryTree>;
  /** A storefront is visible only to requests scoped to it (services see any). */
  storefront: DataLoader<string, IStorefront | null>;
  /** Stores of the request's storefront only. */
  store: DataLoader<string, StoreView | null>;
  /** Translated texts in the request's language (loaders-texts.ts). */
  texts: CatalogTexts;
};

/** `join` + `where` limiting products (alias `p`) to what the principal may see. */
function visibleProducts(v: Visibility, params: unknown[]): { join: string; where: string } {
  return { join: assortmentJoin(v, params), where: statusFilter(v, params) };
}

export function createLoaders(em: EntityManager, principal: Principal): CatalogLoaders {
  let visibility: Visibility | null = null;
  // Computed on first use: a principal without a storefront only fails where products are read.
  const vis = () => (visibility ??= visibilityOf(principal));
  const texts = createTextLoaders(em, principal);
  const context = pricingContext(principal);
  const priceScope = (): PriceScope => ({ storefrontId: vis().storefrontId, context });
  // A page's rows carry their prices and texts: neither costs a statement of its own.
  const columns = (params: unknown[], category = false) =>
    productColumns(priceScope(), params) + texts.columns(params) + (category ? categoryColumn(params) : '');
  const categoryColumn = (params: unknown[]) =>
    `, (select to_json(x) from (select c.*${texts.columns(params, 'category', 'c')} from "catalog"."category" c where c.id = p.category_id) x) as category_row`;

  // Declared before use below: rows carrying `price_rows` prime it, so their prices need no statement of their own.
  const prices = groupedBy(
    async (productIds: readonly string[]) => {
      const storefrontId = vis().storefrontId;
      if (!storefrontId) return [];
      const params: unknown[] = [];
      const where = priceListFilter({ storefrontId, context }, params);
      const rows = await executePrepared(
        em,
        `select pr.*, pl.name as list_name, pl.currency_code, pl.customer_id, pl.segment
         from "catalog"."price" pr join "catalog"."price_list" pl on pl.id = pr.price_list_id
         where ${where} and pr.product_id in (?) order by pl.created_at, pl.id`,
        [...params, [...productIds]],
      );
      return [...selectPrices(rows.map(priceView), context).values()].flat();
    },
    (price: PriceView) => price.productId,
  );
  /** Views of product rows, their prices primed (when read with them); texts are read by the caller. */
  const viewsOf = (rows: Row[]) =>
    rows.map((row) => {
      const view = productView(row);
      if ('price_rows' in row) prices.prime(view.id, selectPrices(priceRowsOf(row), context).get(view.id) ?? []);
      return view;
    });

  const productsWhere = async (column: 'id' | 'slug', keys: readonly string[]) => {
    // Plain columns: entity lookups (cart and quote lines by the batch) read prices through the prices loader.
    // Like every lookup by ids here, prepared (kit `executePrepared`: `in (?)` becomes `= any($n)`, one text
    // whatever the batch size), planned once per connection: its plan does not depend on the ids, and planning
    // was most of the database's time for the cart's product lookup (id, prices, category, add-ons).
    const params: unknown[] = [];
    const textColumns = texts.columns(params);
    const { join, where } = visibleProducts(vis(), params);
    const rows = await executePrepared(
      em,
      `select ${PRODUCT_COLUMNS}${textColumns} from "catalog"."product" p ${join} where ${where} and p.${column} in (?)`,
      [...params, [...keys]],
    );
    texts.primeRows(rows);
    return viewsOf(rows);
  };

  const related = (table: 'product_addon' | 'bundle_item', parent: string, child: string) =>
    groupedBy<{ parentId: string; product: ProductView }>(
      async (ids) => {
        const params: unknown[] = [];
        const textColumns = texts.columns(params);
        const { join, where } = visibleProducts(vis(), params);
        const rows = await executePrepared(
          em,
          `select r.${parent} as parent_id, ${PRODUCT_COLUMNS}${textColumns} from "catalog"."${table}" r join "catalog"."product" p on p.id = r.${child}
           ${join} where ${where} and r.${parent} in (?) order by p.name, p.id`,
          [...params, [...ids]],
        );
        texts.primeRows(rows);
        const views = viewsOf(rows);
        return rows.map((row, i) => ({ parentId: row.parent_id as string, product: views[i] }));
      },
      (row) => row.parentId,
    );
  const addons = related('product_addon', 'product_id', 'addon_id');
  const items = related('bundle_item', 'bundle_id', 'item_id');

  const product = byId(
    (ids) => productsWhere('id', ids),
    (p) => p.id,
  );
  const productBySlug = byId(
    (slugs) => productsWhere('slug', slugs),
    (p) => p.slug,
  );

  const category = byId(
    async (ids) => {
      // With their texts: naming them costs no statement of its own.
      const params: unknown[] = [];
      const textColumns = texts.columns(params, 'category', 'c');
      const rows = await executePrepared(em, `select c.*${textColumns} from "catalog"."category" c where c.id in (?)`, [
        ...params,
        [...ids],
      ]);
      texts.primeRows(rows, 'category');
      return rows.map(categoryView);
    },
    (c) => c.id,
  );

  return {
    visibility: vis,
    product,
    productBySlug,
    productDetail: async (by) => {
      const { sql, params } = productDetailSql(vis(), priceScope(), by, texts.columns);
      // Prepared, planned once per connection: planning this statement costs several times executing it (issue 20).
      const [row] = await executePrepared(em, sql, params);
      if (!row) return null;
      const [found] = viewsOf([row]);
      const addonViews = viewsOf((row.addon_rows as Row[]) ?? []);
      product.prime(found.id, found);
      productBySlug.prime(found.slug, found);
      if (by.addons)
        addons.prime(
          found.id,
          addonViews.map((a) => ({ parentId: found.id, product: a })),
        );
      texts.primeRows([row, ...((row.addon_rows as Row[]) ?? [])]);
      return found;
    },
    productViews: async (rows) => {
      texts.primeRows(rows);
      const categoryRows = rows.flatMap((row) => (row.category_row ? [row.category_row as Row] : []));
      texts.primeRows(categoryRows, 'category');
      for (const row of categoryRows) category.prime(row.id as string, categoryView(row));
      return viewsOf(rows);
    },
    productColumns: columns,
    prices,
    compatibleAddons: { load: (id) => thenNow(addons.now(id), (rows) => rows.map((r) => r.product)) },
    bundleItems: { load: (id) => thenNow(items.now(id), (rows) => rows.map((r) => r.product)) },
    category,
    categoryTree: memo(async () => {
      const all = (await em.execute('select * from "catalog"."category" order by position, name')).map(categoryView);
      const params: unknown[] = [];
      // Pre-aggregated counts: as cheap for 100,000 products as for 100.
      const direct = await em.execute(
        `select f.category_id, sum(f.count)::int as count ${facetCountScope(vis(), params)} and f.category_id is not null
         group by f.category_id having sum(f.count) > 0`,
        params,
      );
      return { all, counts: rollUp(all, new Map(direct.map((r) => [r.category_id as string, r.count as number]))) };
    }),
    storefront: byId(
      async (ids) => {
        const visible = ids.filter((id) => isUuid(id) && (principal.kind === 'service' || principal.storefrontId === id));
        return visible.length ? ((await executePrepared(em, STOREFRONTS, [visible])) as IStorefront[]) : [];
      },
      (s) => s.id,
    ),
    texts,
    store: byId(
      async (ids) => {
        const valid = ids.filter(isUuid);
        return principal.storefrontId && valid.length ? storesByIds(em, principal.storefrontId, valid) : [];
      },
      (s) => s.id,
    ),
  };
}

/** Adds each category's count to all its ancestors. */
function rollUp(all: CategoryView[], direct: Map<string, number>): Map<string, number> {
  const parent = new Map(all.map((c) => [c.id, c.parentId]));
  const total = new Map<string, number>(all.map((c) => [c.id, 0]));
  for (const [id, count] of direct) {
    let at: string | null | undefined = id;
    const seen = new Set<string>();
    while (at && !seen.has(at)) {
      seen.add(at);
      total.set(at, (total.get(at) ?? 0) + count);
      at = parent.get(at);
    }
  }
  return total;
}
