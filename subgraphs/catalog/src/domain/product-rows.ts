import { type PriceView, priceView } from '../entities/views.js';
import type { PricingContext } from './pricing.js';
import { PRODUCT_COLUMNS } from './product-listing.js';
import { assortmentJoin, statusFilter, type Visibility } from './visibility.js';

/**
 * Product rows that carry their own prices: the select list adds `price_rows`, the json array of the
 * product's price candidates (the same rows and order as the prices loader reads), so a page, a detail or
 * an entity lookup reads its products and their prices in one statement (issue 20).
 */
export type PriceScope = { storefrontId: string | null; context: PricingContext };

/** The price lists that may price for `scope` (alias `pl`): the storefront's, the account's, the segments'. */
export function priceListFilter(scope: PriceScope & { storefrontId: string }, params: unknown[]): string {
  params.push(scope.storefrontId, scope.context.customerId, scope.context.segments.length ? scope.context.segments : ['']);
  return 'pl.storefront_id = ? and (pl.customer_id is null or pl.customer_id = ?) and (pl.segment is null or pl.segment in (?))';
}

/** `PRODUCT_COLUMNS` of products aliased `p`, plus `price_rows` (an empty array without a storefront). */
export function productColumns(scope: PriceScope, params: unknown[]): string {
  if (!scope.storefrontId) return `${PRODUCT_COLUMNS}, '[]'::json as price_rows`;
  // Numbers as text, as the driver returns numeric columns (a json number would drop trailing zeros).
  const row = `json_build_object('id', pr.id, 'product_id', pr.product_id, 'type', pr.type, 'amount', pr.amount::text,
    'interval', pr.interval, 'deposit', pr.deposit::text, 'tax_category', pr.tax_category, 'price_list_id', pr.price_list_id,
    'list_name', pl.name, 'currency_code', pl.currency_code, 'customer_id', pl.customer_id, 'segment', pl.segment)`;
  const where = priceListFilter({ ...scope, storefrontId: scope.storefrontId }, params);
  return `${PRODUCT_COLUMNS}, (select coalesce(json_agg(${row} order by pl.created_at, pl.id), '[]'::json)
    from "catalog"."price" pr join "catalog"."price_list" pl on pl.id = pr.price_list_id where pr.product_id = p.id and ${where}) as price_rows`;
}

/** The price candidates a row read with `productColumns` carries. */
export function priceRowsOf(row: Record<string, unknown>): PriceView[] {
  const rows = row.price_rows;
  return Array.isArray(rows) ? rows.map((r) => priceView(r as Record<string, unknown>)) : [];
}

/**
 * A product by id or slug, with its prices and, with `addons`, its visible compatible add-ons (each with its
 * prices, by name) as `addon_rows`: what a product page shows, in one statement.
 */
export function productDetailSql(
  v: Visibility,
  scope: PriceScope,
  by: { column: 'id' | 'slug'; key: string; addons: boolean },
  /** More columns of each product row (alias `p`), e.g. its texts; '' for none. */
  extra: (params: unknown[]) => string = () => '',
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  let addons = `'[]'::json as addon_rows`;
  if (by.addons) {
    const addonColumns = productColumns(scope, params) + extra(params);
    const addonJoin = assortmentJoin(v, params);
    const addonWhere = statusFilter(v, params);
    addons = `(select coalesce(json_agg(a order by a.name, a.id), '[]'::json) from (select ${addonColumns}
      from "catalog"."product_addon" r join "catalog"."product" p on p.id = r.addon_id${addonJoin}
      where ${addonWhere} and r.product_id = o.id) a) as addon_rows`;
  }
  const columns = productColumns(scope, params) + extra(params);
  const join = assortmentJoin(v, params);
  const where = statusFilter(v, params);
  params.push(by.key);
  const sql = `select o.*, ${addons} from (select ${columns} from "catalog"."product" p${join} where ${where} and p.${by.column} = ?) o`;
  return { sql, params };
}
