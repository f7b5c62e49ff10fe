import { type Connection, executePrepared, keysetSql, type Page, type PageArgs, parsePage, type SqlKey } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProductKind } from '../entities/index.js';
import type { ProductView } from '../entities/views.js';
import { facetCountScope } from './facet-counts.js';
import { byEntries, entryMatches, matchesTable, translatedNames } from './listing-sources.js';
import { type PriceBand, priceBandSql } from './pricing.js';
import { parseSearch } from './search-query.js';
import { assortmentJoin, statusFilter, type Visibility } from './visibility.js';

export const PRODUCT_SORTS = ['RELEVANCE', 'FEATURED', 'NAME', 'PRICE_ASC', 'PRICE_DESC', 'NEWEST'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export type ProductFilter = { kinds?: ProductKind[] | null; categoryIds?: string[] | null; priceBands?: PriceBand[] | null };

/** A validated listing request: what to match and in which order. */
export type Listing = {
  visibility: Visibility;
  tsquery: string | null;
  filter: ProductFilter;
  sort: ProductSort;
  /** The request's locale chain: a search also matches product names translated into these (issue 21). */
  searchLocales?: string[];
  /** The request's locale chain: `NAME` sorts by the name in it, then in the storefront's locale, then the stored one. */
  nameLocales?: string[];
};

/** One row of `facetsSql`: how many matches carry a facet value (`total`: all of them). */
export type FacetRow =
  | { facet: 'kind'; value: ProductKind; count: number }
  /** `category`: the category's row, so naming it needs no statement of its own. */
  | { facet: 'category'; value: string; count: number; category: Record<string, unknown> }
  | { facet: 'band'; value: PriceBand; count: number }
  | { facet: 'total'; value: null; count: number }
  /** The storefront's currency, for the bands' bounds (absent without a storefront). */
  | { facet: 'currency'; value: string; count: 0 };

/**
 * What `Query.products` returns: the connection keeps its listing so `totalCount` and `facets` run only
 * when selected — as one statement (one scan of the matches) shared by both.
 */
export type ProductConnectionView = Connection<ProductView> & { listing: Listing; stats: () => Promise<FacetRow[]> };

type SortKey = { expr: string; cast: string };
/** Where the id and the tsvector are read: the product row, or the storefront's search entry (`byEntries`). */
type Source = { id: string; search: string };
const PRODUCT: Source = { id: 'p.id', search: 'p.search' };
const ENTRY: Source = { id: 'sp.product_id', search: 'sp.search' };
const id = (s: Source): SortKey => ({ expr: s.id, cast: 'uuid' });
const SORTS: Record<ProductSort, { keys: (s: Source) => SortKey[]; dir: 'asc' | 'desc' }> = {
  RELEVANCE: { keys: (s) => [{ expr: `ts_rank_cd(${s.search}, q.query)`, cast: 'real' }, id(s)], dir: 'desc' },
  FEATURED: { keys: (s) => [{ expr: 'sp.position', cast: 'int' }, id(s)], dir: 'asc' },
  // The name the shopper reads (`translatedNames`), else the stored one.
  NAME: { keys: (s) => [{ expr: 'lower(coalesce(tn.value, p.name))', cast: 'text' }, id(s)], dir: 'asc' },
  // Unpriced products sort last either way.
  PRICE_ASC: { keys: (s) => [{ expr: 'coalesce(hp.amount, 9999999999)', cast: 'numeric' }, id(s)], dir: 'asc' },
  PRICE_DESC: { keys: (s) => [{ expr: 'coalesce(hp.amount, -1)', cast: 'numeric' }, id(s)], dir: 'desc' },
  // UUID v7 ids are time-ordered.
  NEWEST: { keys: (s) => [id(s)], dir: 'desc' },
};

const sourceOf = (l: Listing): Source => (byEntries(l) ? ENTRY : PRODUCT);
const sortKeys = (l: Listing): SortKey[] => SORTS[l.sort].keys(sourceOf(l));
const sqlKeys = (l: Listing): SqlKey[] => sortKeys(l).map((k) => ({ ...k, dir: SORTS[l.sort].dir }));

export const PRODUCT_COLUMNS =
  'p.id, p.slug, p.name, p.kind, p.status, p.description, p.category_id, p.attributes, p.images, p.created_at, p.updated_at';

export type Sql = { sql: string; params: unknown[] };

export function listing(
  visibility: Visibility,
  query: string | null | undefined,
  filter: ProductFilter | null | undefined,
  sort: ProductSort | null | undefined,
): Listing {
  const { tsquery } = parseSearch(query);
  let chosen = sort ?? (tsquery ? 'RELEVANCE' : 'FEATURED');
  // Without a text query there is no relevance; without an assortment there is no merchandising order.
  if (chosen === 'RELEVANCE' && !tsquery) chosen = 'FEATURED';
  if (chosen === 'FEATURED' && !visibility.assortmentOnly) chosen = 'NAME';
  return { visibility, tsquery, filter: filter ?? {}, sort: chosen };
}

export function pageOf(listing: Listing, args: PageArgs): Page {
  return parsePage(args, listing.sort, sortKeys(listing).length);
}

/**
 * FROM … WHERE shared by the page, the count and the facets; `facetFilters: false` leaves kind/category/band
 * out; `names` joins the translated names the NAME sort reads; `products: false` (search entries only) leaves
 * the product rows out: the facets and the page's first pass read none of their columns.
 */
function scope(l: Listing, params: unknown[], facetFilters: boolean, names = false, products = true): { from: string; where: string[] } {
  const v = l.visibility;
  const entries = byEntries(l);
  let from = entries ? `from ${entryMatches(l, params)}` : `from ${matchesTable(l, params)}${assortmentJoin(v, params)}`;
  if (entries && products) from += ' join "catalog"."product" p on p.id = sp.product_id';
  if (names) from += translatedNames(l, params);
  // The storefront's headline list price, kept on the assortment row: what sorting and price bands use.
  from += v.assortmentOnly
    ? ' cross join lateral (select sp.list_amount as amount) hp'
    : ' cross join lateral (select null::numeric as amount) hp';
  if (l.tsquery) {
    from += " cross join lateral to_tsquery('english', ?) q(query)";
    params.push(l.tsquery);
  }
  const where: string[] = [];
  if (entries) {
    where.push('sp.storefront_id = ?', 'sp.status in (?)');
    params.push(v.storefrontId, v.statuses);
  } else where.push(statusFilter(v, params));
  if (l.tsquery && !l.searchLocales?.length) where.push(`${sourceOf(l).search} @@ q.query`);
  if (facetFilters) where.push(...facetConditions(l, params, entries ? ENTRY_FACETS : PRODUCT_FACETS).filter((c) => c !== 'true'));
  return { from, where };
}

/** The columns facet filters test: a product row (`p`, price `hp`), a search entry (`sp`) or a pre-aggregated count row (`f`). */
type FacetColumns = { kind: string; category: string; band: string };
const PRODUCT_FACETS: FacetColumns = { kind: 'p.kind', category: 'p.category_id', band: priceBandSql('hp.amount') };
const ENTRY_FACETS: FacetColumns = { kind: 'sp.kind', category: 'sp.category_id', band: 'sp.band' };
const COUNT_FACETS: FacetColumns = { kind: 'f.kind', category: 'f.category_id', band: 'f.band' };

/** kind, category, band conditions, in that order; `true` where the filter is not set. */
function facetConditions(l: Listing, params: unknown[], columns: FacetColumns = PRODUCT_FACETS): [string, string, string] {
  const { kinds, categoryIds, priceBands } = l.filter;
  let kind = 'true';
  if (kinds?.length) {
    kind = `${columns.kind} in (?)`;
    params.push(kinds);
  }
  const category = categoryIds?.length ? `${columns.category} in (select id from cats)` : 'true';
  let band = 'true';
  if (priceBands?.length) {
    band = `(${columns.band}) in (?)`;
    params.push(priceBands);
  }
  return [kind, category, band];
}

/** Category filters include descendants. */
function withCategories(l: Listing, params: unknown[]): string {
  if (!l.filter.categoryIds?.length) return '';
  params.push(l.filter.categoryIds);
  return `with recursive cats(id) as (select id from "catalog"."category" where id in (?)
    union select c.id from "catalog"."category" c join cats on c.parent_id = cats.id) `;
}

/** The page's select list (before its sort keys): the product columns, or what `columns` reads with them (prices). */
export type Columns = (params: unknown[]) => string;

export function pageSql(l: Listing, page: Page, columns: Columns = () => PRODUCT_COLUMNS): Sql {
  const params: unknown[] = [];
  const head = withCategories(l, params);
  const select = columns(params);
  const keys = sortKeys(l)
    .map((k, i) => `${k.expr} as k${i}`)
    .join(', ');
  // Search entries carry every sort key but the name: the page's rows are chosen among them (LIMIT), then
  // only those are joined to their products.
  const firstPass = byEntries(l) && l.sort !== 'NAME';
  const { from, where } = scope(l, params, true, l.sort === 'NAME', !firstPass);
  const keyset = keysetSql(sqlKeys(l), page, params);
  where.push(...keyset.conditions);
  // The limit is written into the text (a validated page size): a prepared page's generic plan then
  // knows how few rows it needs and walks an index in order, where `limit $n` is planned as a tenth of the
  // table and sorts the whole storefront (seen at 100,000 products).
  const rows = `${from} where ${where.join(' and ')} order by ${keyset.orderBy} limit ${Math.trunc(page.limit) + 1}`;
  if (!firstPass) return { sql: `${head}select ${select}, ${keys} ${rows}`, params };
  const picked = sqlKeys(l).map((k, i) => ({ ...k, expr: `sp.k${i}` }));
  const order = keysetSql(picked, { ...page, after: null, before: null }, []).orderBy;
  const outer = picked.map((k) => k.expr).join(', ');
  return {
    sql: `${head}select ${select}, ${outer} from (select sp.*, ${keys} ${rows}) sp join "catalog"."product" p on p.id = sp.product_id order by ${order}`,
    params,
  };
}

/**
 * One statement: each facet counts the matches of every filter but its own (disjunctive facets), plus the total,
 * each counted category's row and the storefront's currency (what `facets` shows, without further statements).
 * Without a text query the filters are all facets, so the counts are sums over the pre-aggregated rows
 * (facet-counts.ts): a few hundred rows, not every product in scope. With one, the matches are counted: in a
 * storefront, from its search entries alone (no product row read; the work grows with the matches in it);
 * for brand-less staff, from the products the GIN index finds.
 */
export function facetsSql(l: Listing, categoryColumns: Columns = () => ''): Sql {
  const headParams: unknown[] = [];
  const head = withCategories(l, headParams);
  // The facet conditions sit in the select list, so their parameters precede FROM's.
  const conditionParams: unknown[] = [];
  const entries = byEntries(l);
  const [kind, category, band] = facetConditions(l, conditionParams, entries ? ENTRY_FACETS : l.tsquery ? PRODUCT_FACETS : COUNT_FACETS);
  const scopeParams: unknown[] = [];
  const flags = `${kind} as k_ok, ${category} as c_ok, ${band} as b_ok`;
  let base: string;
  if (entries) {
    const { from, where } = scope(l, scopeParams, false, false, false);
    base = `select sp.kind, sp.category_id, sp.band, 1 as n, ${flags} ${from} where ${where.join(' and ')}`;
  } else if (l.tsquery) {
    const { from, where } = scope(l, scopeParams, false);
    base = `select p.kind, p.category_id, ${PRODUCT_FACETS.band} as band, 1 as n, ${flags} ${from} where ${where.join(' and ')}`;
  } else {
    base = `select f.kind, f.category_id, f.band, f.count as n, ${flags} ${facetCountScope(l.visibility, scopeParams)}`;
  }
  // Each counted category's row with what `categoryColumns` adds (its texts, alias `c`).
  const categoryParams: unknown[] = [];
  const extra = categoryColumns(categoryParams);
  const categoryRow = extra ? `(select to_json(x) from (select c.*${extra}) x)` : 'to_json(c)';
  const currencyParams: unknown[] = [];
  let currency = '';
  if (l.visibility.storefrontId) {
    currency = `\n    union all select 'currency', s.currency_code::text, 0, null from "catalog"."storefront" s where s.id = ?`;
    currencyParams.push(l.visibility.storefrontId);
  }
  const sql = `${head ? `${head.trimEnd()}, ` : 'with '}base as (${base}),
    categories as (select category_id, sum(n)::int as count from base where k_ok and b_ok and category_id is not null group by category_id having sum(n) > 0)
    select 'kind' as facet, kind as value, sum(n)::int as count, null::json as category from base where c_ok and b_ok group by kind having sum(n) > 0
    union all select 'category', g.category_id::text, g.count, ${categoryRow} from categories g join "catalog"."category" c on c.id = g.category_id
    union all select 'band', band, sum(n)::int, null from base where k_ok and c_ok and band is not null group by band having sum(n) > 0
    union all select 'total', null, coalesce(sum(n), 0)::int, null from base where k_ok and c_ok and b_ok${currency}`;
  return { sql, params: [...headParams, ...conditionParams, ...scopeParams, ...categoryParams, ...currencyParams] };
}

/** The page's product rows: `limit + 1` of them in travel order, the extra one telling whether there is more. */
export async function pageRows(em: EntityManager, l: Listing, page: Page, columns?: Columns): Promise<Record<string, unknown>[]> {
  const { sql, params } = pageSql(l, page, columns);
  // Without a text query the page's plan does not depend on the values: prepared, planned once per
  // connection (with prices and texts as correlated subqueries, planning costs as much as executing; issue 20).
  return l.tsquery ? em.execute(sql, params) : executePrepared(em, sql, params);
}

export async function facetRows(em: EntityManager, l: Listing, categoryColumns?: Columns): Promise<FacetRow[]> {
  const { sql, params } = facetsSql(l, categoryColumns);
  // Without a text query, counts come from the small pre-aggregated table whatever the values: prepared,
  // planned once per connection like the page beside it (planning the five-branch union cost more than running it).
  // The statement's branches produce exactly FacetRow's shapes.
  return (await (l.tsquery ? em.execute(sql, params) : executePrepared(em, sql, params))) as FacetRow[];
}

/** The rows of one facet, typed by it. */
export function facetOf<F extends FacetRow['facet']>(rows: FacetRow[], facet: F): Extract<FacetRow, { facet: F }>[] {
  return rows.filter((r): r is Extract<FacetRow, { facet: F }> => r.facet === facet);
}

/** Cursor values of a fetched row (k0, k1, … columns). */
export function keyOf(row: Record<string, unknown>, l: Listing): unknown[] {
  return sortKeys(l).map((_, i) => row[`k${i}`]);
}
