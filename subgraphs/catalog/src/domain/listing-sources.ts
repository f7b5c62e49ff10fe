// Where a listing's rows come from: the products, the matches of a text query, the storefront's search entries.
import type { Listing } from './product-listing.js';

/**
 * A text query within an assortment reads the storefront's search entries (table `search_entry`, alias `sp`,
 * migration 20261205-s01): one GIN scan on (storefront, tsvector) finds the matches with what filters, facets and
 * sorts read, so the work follows the matches in the storefront, not the catalogue nor the whole assortment.
 */
export const byEntries = (l: Listing): boolean => l.tsquery !== null && l.visibility.assortmentOnly;

/**
 * `tn.value`: each product's name in the first locale of the chain — the request's locales, then the
 * storefront's locale and its language — or null. One hash-joinable set of the (few) translated names in
 * those locales, not a lookup per product; only the page's statement has it (counts and facets do not sort).
 */
export function translatedNames(l: Listing, params: unknown[]): string {
  const chain = `(select array[?]::text[] || coalesce((select array[s.locale::text, split_part(s.locale, '-', 1)] from "catalog"."storefront" s where s.id = ?), '{}'::text[]))`;
  params.push(l.nameLocales?.length ? l.nameLocales : [''], l.visibility.storefrontId);
  return ` left join (select distinct on (t.subject_id) t.subject_id, t.value from "catalog"."translation" t cross join ${chain} c(chain)
    where t.subject = 'product' and t.field = 'name' and t.locale = any(c.chain)
    order by t.subject_id, array_position(c.chain, t.locale::text)) tn on tn.subject_id = p.id`;
}

/**
 * The storefront's search entries a text query matches (alias `sp`): by the entries' GIN index, or, when the
 * request asks for a language, the union of those and the products whose name translated into its chain
 * matches (the translations' GIN index), each joined to its entry by key.
 */
export function entryMatches(l: Listing, params: unknown[]): string {
  if (!l.searchLocales?.length) return '"catalog"."search_entry" sp';
  params.push(l.visibility.storefrontId, l.tsquery, l.searchLocales, l.tsquery);
  return `(select m.product_id as id from "catalog"."search_entry" m where m.storefront_id = ? and m.search @@ to_tsquery('english', ?)
    union select t.subject_id from "catalog"."translation" t where t.subject = 'product' and t.field = 'name' and t.locale in (?)
      and to_tsvector('english', t.value) @@ to_tsquery('english', ?)) matched join "catalog"."search_entry" sp on sp.product_id = matched.id`;
}

/**
 * The products a listing reads (alias `p`). The text query matches the stored texts (generated `search`
 * column, GIN index) or, when the request asks for a language, the product's name translated into its
 * chain (a GIN expression index on the translations, same English configuration): then the matches are
 * the union of both indexes' ids, joined to the products, so the work follows the matches, never the catalogue.
 */
export function matchesTable(l: Listing, params: unknown[]): string {
  if (!l.tsquery || !l.searchLocales?.length) return '"catalog"."product" p';
  params.push(l.tsquery, l.searchLocales, l.tsquery);
  return `(select m.id from "catalog"."product" m where m.search @@ to_tsquery('english', ?)
    union select t.subject_id from "catalog"."translation" t where t.subject = 'product' and t.field = 'name' and t.locale in (?)
      and to_tsvector('english', t.value) @@ to_tsquery('english', ?)) matched join "catalog"."product" p on p.id = matched.id`;
}
