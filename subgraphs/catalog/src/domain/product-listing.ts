import { type Connection, executePrepared, keysetSql, type Page, type PageArgs, parsePage, type SqlKey } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProductKind } from '../entities/index.js';
import type { ProductView } from '../entities/views.js';
import { facetCountScope } from './facet-counts.js';
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
const id: SortKey = { expr: 'p.id', cast: 'uuid' };
const SORTS: Record<ProductSort, { keys: SortKey[]; dir: 'asc' | 'desc' }> = {
  RELEVANCE: { keys: [{ expr: 'ts_rank_cd(p.search, q.query)', cast: 'real' }, id], dir: 'desc' },
  FEATURED: { keys: [{ expr: 'sp.position', cast: 'int' }, id], dir: 'asc' },
  // The name the shopper reads (`translatedNames`), else the stored one.
  NAME: { keys: [{ expr: 'lower(coalesce(tn.value, p.name))', cast: 'text' }, id], dir: 'asc' },
  // Unpriced products sort last either way.
  PRICE_ASC: { keys: [{ expr: 'coalesce(hp.amount, 9999999999)', cast: 'numeric' }, id], dir: 'asc' },
  PRICE_DESC: { keys: [{ expr: 'coalesce(hp.amount, -1)', cast: 'numeric' }, id], dir: 'desc' },
  // UUID v7 ids are time-ordered.
  NEWEST: { keys: [id], dir: 'desc' },
};

const sqlKeys = (sort: ProductSort): SqlKey[] => SORTS[sort].keys.map((k) => ({ ...k, dir: SORTS[sort].dir }));

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
  return parsePage(args, listing.sort, SORTS[listing.sort].keys.length);
}

/**
 * `tn.value`: each product's name in the first locale of the chain — the request's locales, then the
 * storefront's locale and its language — or null. One hash-joinable set of the (few) translated names in
 * those locales, not a lookup per product; only the page's statement has it (counts and facets do not sort).
 */
function translatedNames(l: Listing, params: unknown[]): string {
  const chain = `(select array[?]::text[] || coalesce((select array[s.locale::text, split_part(s.locale, '-', 1)] from "catalog"."storefront" s where s.id = ?), '{}'::text[]))`;
  params.push(l.nameLocales?.length ? l.nameLocales : [''], l.visibility.storefrontId);
  return ` left join (select distinct on (t.subject_id) t.subject_id, t.value from "catalog"."translation" t cross join ${chain} c(chain)
    where t.subject = 'product' and t.field = 'name' and t.locale = any(c.chain)
    order by t.subject_id, array_position(c.chain, t.locale::text)) tn on tn.subject_id = p.id`;
}

/**
 * FROM … WHERE shared by the page, the count and the facets; `facetFilters: false` leaves kind/category/band
 * out; `names` joins the translated names the NAME sort reads.
 */
function scope(l: Listing, params: unknown[], facetFilters: boolean, names = false): { from: string; where: string[] } {
  const v = l.visibility;
  let from = `from ${matchesTable(l, params)}${assortmentJoin(v, params)}`;
  if (names) from += translatedNames(l, params);
  // The storefront's headline list price, kept on the assortment row: what sorting and price bands use.
  from += v.assortmentOnly
    ? ' cross join lateral (select sp.list_amount as amount) hp'
    : ' cross join lateral (select null::numeric as amount) hp';
  if (l.tsquery) {
    from += " cross join lateral to_tsquery('english', ?) q(query)";
    params.push(l.tsquery);
  }
  const where = [statusFilter(v, params)];
  if (l.tsquery && !l.searchLocales?.length) where.push('p.search @@ q.query');
  if (facetFilters) where.push(...facetConditions(l, params).filter((c) => c !== 'true'));
  return { from, where };
}

/**
 * The products a listing reads (alias `p`). The text query matches the stored texts (generated `search`
 * column, GIN index) or, when the request asks for a language, the product's name translated into its
 * chain (a GIN expression index on the translations, same English configuration): then the matches are
 * the union of both indexes' ids, joined to the products, so the work follows the matches, never the catalogue.
 */
function matchesTable(l: Listing, params: unknown[]): string {
  if (!l.tsquery || !l.searchLocales?.length) return '"catalog"."product" p';
  params.push(l.tsquery, l.searchLocales, l.tsquery);
  return `(select m.id from "catalog"."product" m where m.search @@ to_tsquery('english', ?)
    union select t.subject_id from "catalog"."translation" t where t.subject = 'product' and t.field = 'name' and t.locale in (?)
      and to_tsvector('english', t.value) @@ to_tsquery('english', ?)) matched join "catalog"."product" p on p.id = matched.id`;
}

/** The columns facet filters test: a product row (`p`, price `hp`) or a pre-aggregated count row (`f`). */
type FacetColumns = { kind: string; category: string; band: string };
const PRODUCT_FACETS: FacetColumns = { kind: 'p.kind', category: 'p.category_id', band: priceBandSql('hp.amount') };
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
  const keys = SORTS[l.sort].keys.map((k, i) => `${k.expr} as k${i}`).join(', ');
  const { from, where } = scope(l, params, true, l.sort === 'NAME');
  const keyset = keysetSql(sqlKeys(l.sort), page, params);
  where.push(...keyset.conditions);
  const order = keyset.orderBy;
  params.push(page.limit + 1);
  return { sql: `${head}select ${select}, ${keys} ${from} where ${where.join(' and ')} order by ${order} limit ?`, params };
}

/**
 * One statement: each facet counts the matches of every filter but its own (disjunctive facets), plus the total,
 * each counted category's row and the storefront's currency (what `facets` shows, without further statements).
 * Without a text query the filters are all facets, so the counts are sums over the pre-aggregated rows
 * (facet-counts.ts): a few hundred rows, not every product in scope. With one, the matches are counted
 * (the GIN index finds them; the work grows with the matches, not the catalogue).
 */
export function facetsSql(l: Listing): Sql {
  const headParams: unknown[] = [];
  const head = withCategories(l, headParams);
  // The facet conditions sit in the select list, so their parameters precede FROM's.
  const conditionParams: unknown[] = [];
  const [kind, category, band] = facetConditions(l, conditionParams, l.tsquery ? PRODUCT_FACETS : COUNT_FACETS);
  const scopeParams: unknown[] = [];
  const flags = `${kind} as k_ok, ${category} as c_ok, ${band} as b_ok`;
  let base: string;
  if (l.tsquery) {
    const { from, where } = scope(l, scopeParams, false);
    base = `select p.kind, p.category_id, ${PRODUCT_FACETS.band} as band, 1 as n, ${flags} ${from} where ${where.join(' and ')}`;
  } else {
    base = `select f.kind, f.category_id, f.band, f.count as n, ${flags} ${facetCountScope(l.visibility, scopeParams)}`;
  }
  const currencyParams: unknown[] = [];
  let currency = '';
  if (l.visibility.storefrontId) {
    currency = `\n    union all select 'currency', s.currency_code::text, 0, null from "catalog"."storefront" s where s.id = ?`;
    currencyParams.push(l.visibility.storefrontId);
  }
  const sql = `${head ? `${head.trimEnd()}, ` : 'with '}base as (${base}),
    categories as (select category_id, sum(n)::int as count from base where k_ok and b_ok and category_id is not null group by category_id having sum(n) > 0)
    select 'kind' as facet, kind as value, sum(n)::int as count, null::json as category from base where c_ok and b_ok group by kind having sum(n) > 0
    union all select 'category', g.category_id::text, g.count, to_json(c) from categories g join "catalog"."category" c on c.id = g.category_id
    union all select 'band', band, sum(n)::int, null from base where k_ok and c_ok and band is not null group by band having sum(n) > 0
    union all select 'total', null, coalesce(sum(n), 0)::int, null from base where k_ok and c_ok and b_ok${currency}`;
  return { sql, params: [...headParams, ...conditionParams, ...scopeParams, ...currencyParams] };
}

/** The page's product rows: `limit + 1` of them in travel order, the extra one telling whether there is more. */
export async function pageRows(em: EntityManager, l: Listing, page: Page, columns?: Columns): Promise<Record<string, unknown>[]> {
  const { sql, params } = pageSql(l, page, columns);
  // Without a text query the page's plan does not depend on the values: prepared, planned once per
  // connection (with prices and texts as correlated subqueries, planning costs as much as executing; issue 20).
  return l.tsquery ? em.execute(sql, params) : executePrepared(em, sql, params);
}

export async function facetRows(em: EntityManager, l: Listing): Promise<FacetRow[]> {
  const { sql, params } = facetsSql(l);
  // The statement's branches produce exactly FacetRow's shapes.
  return (await em.execute(sql, params)) as FacetRow[];
}

/** The rows of one facet, typed by it. */
export function facetOf<F extends FacetRow['facet']>(rows: FacetRow[], facet: F): Extract<FacetRow, { facet: F }>[] {
  return rows.filter((r): r is Extract<FacetRow, { facet: F }> => r.facet === facet);
}

/** Cursor values of a fetched row (k0, k1, … columns). */
export function keyOf(row: Record<string, unknown>, l: Listing): unknown[] {
  return SORTS[l.sort].keys.map((_, i) => row[`k${i}`]);
}
