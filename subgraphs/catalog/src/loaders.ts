import { byId, groupedBy, isUuid, memo, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { facetCountScope } from './domain/facet-counts.js';
import { pricingContext, selectPrices } from './domain/pricing.js';
import { PRODUCT_COLUMNS } from './domain/product-listing.js';
import { assortmentJoin, statusFilter, type Visibility, visibilityOf } from './domain/visibility.js';
import { type IStorefront, Storefront } from './entities/index.js';
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

/** A batched one-to-many lookup. */
export type ListLoader<T> = { load(key: string): Promise<T[]> };

export type CategoryTree = { all: CategoryView[]; counts: Map<string, number> };

export type CatalogLoaders = {
  visibility: () => Visibility;
  product: DataLoader<string, ProductView | null>;
  productBySlug: DataLoader<string, ProductView | null>;
  prices: DataLoader<string, PriceView[]>;
  compatibleAddons: ListLoader<ProductView>;
  bundleItems: ListLoader<ProductView>;
  category: DataLoader<string, CategoryView | null>;
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

  const productsWhere = async (column: 'id' | 'slug', keys: readonly string[]) => {
    const params: unknown[] = [];
    const textColumns = texts.columns(params);
    const { join, where } = visibleProducts(vis(), params);
    const rows = await em.execute(
      `select ${PRODUCT_COLUMNS}${textColumns} from "catalog"."product" p ${join} where ${where} and p.${column} in (?)`,
      [...params, [...keys]],
    );
    texts.primeRows(rows);
    return rows.map(productView);
  };

  const related = (table: 'product_addon' | 'bundle_item', parent: string, child: string) =>
    groupedBy<{ parentId: string; product: ProductView }>(
      async (ids) => {
        const params: unknown[] = [];
        const textColumns = texts.columns(params);
        const { join, where } = visibleProducts(vis(), params);
        const rows = await em.execute(
          `select r.${parent} as parent_id, ${PRODUCT_COLUMNS}${textColumns} from "catalog"."${table}" r join "catalog"."product" p on p.id = r.${child}
           ${join} where ${where} and r.${parent} in (?) order by p.name, p.id`,
          [...params, [...ids]],
        );
        texts.primeRows(rows);
        return rows.map((row) => ({ parentId: row.parent_id as string, product: productView(row) }));
      },
      (row) => row.parentId,
    );
  const addons = related('product_addon', 'product_id', 'addon_id');
  const items = related('bundle_item', 'bundle_id', 'item_id');

  return {
    visibility: vis,
    product: byId(
      (ids) => productsWhere('id', ids),
      (p) => p.id,
    ),
    productBySlug: byId(
      (slugs) => productsWhere('slug', slugs),
      (p) => p.slug,
    ),
    prices: groupedBy(
      async (productIds) => {
        const storefrontId = vis().storefrontId;
        if (!storefrontId) return [];
        const context = pricingContext(principal);
        const rows = await em.execute(
          `select pr.*, pl.name as list_name, pl.currency_code, pl.customer_id, pl.segment
           from "catalog"."price" pr join "catalog"."price_list" pl on pl.id = pr.price_list_id
           where pl.storefront_id = ? and pr.product_id in (?)
             and (pl.customer_id is null or pl.customer_id = ?) and (pl.segment is null or pl.segment in (?))
           order by pl.created_at, pl.id`,
          [storefrontId, [...productIds], context.customerId, context.segments.length ? context.segments : ['']],
        );
        return [...selectPrices(rows.map(priceView), context).values()].flat();
      },
      (price) => price.productId,
    ),
    compatibleAddons: { load: async (id) => (await addons.load(id)).map((r) => r.product) },
    bundleItems: { load: async (id) => (await items.load(id)).map((r) => r.product) },
    category: byId(
      async (ids) => (await em.execute('select * from "catalog"."category" where id in (?)', [[...ids]])).map(categoryView),
      (c) => c.id,
    ),
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
        return visible.length ? em.find(Storefront, { id: { $in: visible } }) : [];
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
