import { Migration } from '@dcrm/kit';

const s = '"catalog"';

const fn = (name: string, body: string) =>
  `create or replace function ${s}."${name}"() returns trigger language plpgsql as $$ begin ${body}; return null; end $$`;

/** What a search entry copies of its product (alias `p`) and assortment row (alias `a`). */
const COLUMNS = 'storefront_id, product_id, status, kind, category_id, list_amount, band, position, search';
const values = (a: string, p: string) =>
  `${a}.storefront_id, ${a}.product_id, ${p}.status, ${p}.kind, ${p}.category_id, ${a}.list_amount,
   ${s}.facet_band(${a}.list_amount), ${a}.position, ${p}.search`;

/** Entries for assortment rows (`rows`), their products locked FOR SHARE in id order (as the facet counts do). */
const insertEntries = (rows: string) => `insert into ${s}."search_entry" (${COLUMNS})
  select ${values('a', 'p')} from ${rows} a join (select id, status, kind, category_id, search from ${s}."product"
    where id in (select x.product_id from ${rows} x) order by id for share) p on p.id = a.product_id
  order by a.storefront_id, a.product_id on conflict (storefront_id, product_id) do nothing`;

/**
 * A storefront's searchable products in one narrow table (issue 20): per (storefront, product) what a search
 * filters on (status, kind, category, price band), sorts by (list price, merchandising position, the product's
 * `search` tsvector for matching and rank) — so a search with a text query finds its matches with one GIN scan
 * on (storefront, tsvector) (btree_gin) and counts its facets from those rows alone: the work follows the
 * matches in the storefront, never the catalogue nor the assortment. Products without a storefront (brand-less
 * staff) keep searching `product.search`; translated names keep their own index (`translation`), joined by id.
 *
 * Kept exact by triggers in the writing transaction, like `facet_count`: assortment rows added, moved (position,
 * list price) or removed; products' status, kind, category or texts changed; truncates rebuild it. A deleted
 * product's assortment rows go by cascade, which removes its entries.
 */
export class Migration20261205S01SearchEntry extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists btree_gin');
    this.addSql(`create table ${s}."search_entry" ("storefront_id" uuid not null, "product_id" uuid not null,
      "status" text not null, "kind" text not null, "category_id" uuid null, "list_amount" numeric(12,2) null, "band" text null,
      "position" int not null, "search" tsvector not null, primary key ("storefront_id", "product_id"))`);
    this.addSql(`create index "search_entry_match_idx" on ${s}."search_entry" using gin ("storefront_id", "search")`);

    this.addSql(`create or replace function ${s}."search_entry_rebuild"() returns void language sql as $$
      delete from ${s}."search_entry";
      insert into ${s}."search_entry" (${COLUMNS})
        select ${values('a', 'p')} from ${s}."storefront_product" a join ${s}."product" p on p.id = a.product_id;
    $$`);

    this.addSql(fn('search_entry_assortment_inserted', insertEntries('new_rows')));
    // A moved row (position, list price): its entry follows; rows are updated in key order (concurrent writers).
    this.addSql(
      fn(
        'search_entry_assortment_updated',
        `update ${s}."search_entry" e set list_amount = n.list_amount, band = ${s}.facet_band(n.list_amount), position = n.position
         from (select n.* from new_rows n join old_rows o on o.storefront_id = n.storefront_id and o.product_id = n.product_id
           where (n.list_amount, n.position) is distinct from (o.list_amount, o.position) order by n.storefront_id, n.product_id) n
         where e.storefront_id = n.storefront_id and e.product_id = n.product_id`,
      ),
    );
    this.addSql(
      fn(
        'search_entry_assortment_deleted',
        `delete from ${s}."search_entry" e using old_rows o where e.storefront_id = o.storefront_id and e.product_id = o.product_id`,
      ),
    );
    this.addSql(
      fn(
        'search_entry_product_updated',
        `update ${s}."search_entry" e set status = n.status, kind = n.kind, category_id = n.category_id, search = n.search
         from (select n.* from new_rows n join old_rows o on o.id = n.id
           where (n.status, n.kind, n.category_id, n.search) is distinct from (o.status, o.kind, o.category_id, o.search)) n
         where e.product_id = n.id`,
      ),
    );
    this.addSql(fn('search_entry_truncated', `perform ${s}.search_entry_rebuild()`));

    const trigger = (name: string, when: string, table: string, transition: string, fn = name) =>
      this.addSql(`create trigger "${name}" ${when} on ${s}."${table}" ${transition} execute function ${s}."${fn}"()`);
    const newRows = 'referencing new table as new_rows for each statement';
    const bothRows = 'referencing old table as old_rows new table as new_rows for each statement';
    trigger('search_entry_assortment_inserted', 'after insert', 'storefront_product', newRows);
    trigger('search_entry_assortment_updated', 'after update', 'storefront_product', bothRows);
    trigger(
      'search_entry_assortment_deleted',
      'after delete',
      'storefront_product',
      'referencing old table as old_rows for each statement',
    );
    trigger('search_entry_product_updated', 'after update', 'product', bothRows);
    const truncated = 'for each statement';
    trigger('search_entry_assortment_truncated', 'after truncate', 'storefront_product', truncated, 'search_entry_truncated');
    trigger('search_entry_product_truncated', 'after truncate', 'product', truncated, 'search_entry_truncated');

    this.addSql(`select ${s}.search_entry_rebuild()`);
    this.addSql(`analyze ${s}."search_entry"`);
  }
}
