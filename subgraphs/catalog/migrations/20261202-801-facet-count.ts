import { Migration } from '@dcrm/kit';

const s = '"catalog"';

/** A storefront list price's band; the same bounds as PRICE_BANDS (domain/pricing.ts). A change to either changes both. */
const BAND = `create or replace function ${s}."facet_band"(amount numeric) returns text language sql immutable parallel safe as $$
  select case when amount is null then null when amount < 10 then 'UNDER_10' when amount < 25 then 'FROM_10_TO_25'
    when amount < 50 then 'FROM_25_TO_50' when amount < 100 then 'FROM_50_TO_100' else 'OVER_100' end $$`;

/**
 * Adds signed deltas (a query yielding storefront_id, status, kind, category_id, band, delta) to the counts,
 * in key order: concurrent writers lock the count rows they share in the same order.
 */
const apply = (deltas: string) => `insert into ${s}."facet_count" as f (storefront_id, status, kind, category_id, band, count)
  select storefront_id, status, kind, category_id, band, sum(delta)::int from (${deltas}) d
  group by 1, 2, 3, 4, 5 having sum(delta) <> 0 order by 1, 2, 3, 4, 5
  on conflict (storefront_id, status, kind, category_id, band) do update set count = f.count + excluded.count`;

const fn = (name: string, body: string, returns = 'null') =>
  `create or replace function ${s}."${name}"() returns trigger language plpgsql as $$ begin ${body}; return ${returns}; end $$`;

// A row of the product's storefronts: its assortment rows, with the band of each storefront's list price.
const inStorefronts = (rows: string, sign: number) =>
  `select sp.storefront_id, r.status, r.kind, r.category_id, ${s}.facet_band(sp.list_amount) as band, ${sign} as delta
   from ${rows} r join ${s}."storefront_product" sp on sp.product_id = r.id`;
// The brand-less scope (staff without a storefront see every product): storefront_id and band null.
const everywhere = (rows: string, sign: number) =>
  `select null::uuid as storefront_id, r.status, r.kind, r.category_id, null::text as band, ${sign} as delta from ${rows} r`;

/** Assortment rows joined to their products, locked FOR SHARE (in id order) so a concurrent product update waits or is seen. */
const assortment = (rows: string, sign: number) =>
  `select r.storefront_id, p.status, p.kind, p.category_id, ${s}.facet_band(r.list_amount) as band, ${sign} as delta
   from ${rows} r join (select id, status, kind, category_id from ${s}."product"
     where id in (select x.product_id from ${rows} x) order by id for share) p on p.id = r.product_id`;

/**
 * Facet counts that do not grow with the catalogue: how many products each storefront carries per status, kind,
 * category and price band (storefront_id null: every product, for brand-less staff). Kept exact by triggers in
 * the writing transaction, whatever writes (mutations, bulk price updates, seeds, SQL); a listing without a
 * text query sums a few hundred rows instead of counting every product in scope.
 *
 * Product deletes are counted BEFORE the row goes (its assortment rows, removed by the cascade, can no longer
 * be joined to it afterwards; the cascade's own trigger then finds no product and adds nothing).
 */
export class Migration20261202801FacetCount extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table ${s}."facet_count" ("storefront_id" uuid null, "status" text not null, "kind" text not null,
      "category_id" uuid null, "band" text null, "count" int not null)`);
    this.addSql(`create unique index "facet_count_key" on ${s}."facet_count"
      ("storefront_id", "status", "kind", "category_id", "band") nulls not distinct`);
    this.addSql(BAND);

    this.addSql(`create or replace function ${s}."facet_count_rebuild"() returns void language sql as $$
      delete from ${s}."facet_count";
      ${apply(`${inStorefronts(`${s}."product"`, 1)} union all ${everywhere(`${s}."product"`, 1)}`)};
    $$`);

    this.addSql(fn('facet_product_inserted', apply(everywhere('new_rows', 1))));
    const changed = `(select n.* from new_rows n join old_rows o on o.id = n.id
      where (n.status, n.kind, n.category_id) is distinct from (o.status, o.kind, o.category_id))`;
    const was = `(select o.* from old_rows o join new_rows n on n.id = o.id
      where (n.status, n.kind, n.category_id) is distinct from (o.status, o.kind, o.category_id))`;
    this.addSql(
      fn(
        'facet_product_updated',
        apply([inStorefronts(changed, 1), everywhere(changed, 1), inStorefronts(was, -1), everywhere(was, -1)].join(' union all ')),
      ),
    );
    this.addSql(
      fn('facet_product_deleting', apply(`${inStorefronts('(select old.*)', -1)} union all ${everywhere('(select old.*)', -1)}`), 'old'),
    );

    this.addSql(fn('facet_assortment_inserted', apply(assortment('new_rows', 1))));
    // Assortment rows whose band changed (a reordering changes no count).
    const moved = (from: string, to: string) => `(select a.* from ${from}_rows a join ${to}_rows b
      on b.storefront_id = a.storefront_id and b.product_id = a.product_id
      where ${s}.facet_band(b.list_amount) is distinct from ${s}.facet_band(a.list_amount))`;
    this.addSql(
      fn('facet_assortment_updated', apply(`${assortment(moved('new', 'old'), 1)} union all ${assortment(moved('old', 'new'), -1)}`)),
    );
    this.addSql(fn('facet_assortment_deleted', apply(assortment('old_rows', -1))));
    this.addSql(fn('facet_truncated', `perform ${s}.facet_count_rebuild()`));

    const trigger = (name: string, when: string, table: string, fn: string, transition: string) =>
      this.addSql(`create trigger "${name}" ${when} on ${s}."${table}" ${transition} execute function ${s}."${fn}"()`);
    trigger(
      'facet_product_inserted',
      'after insert',
      'product',
      'facet_product_inserted',
      'referencing new table as new_rows for each statement',
    );
    trigger(
      'facet_product_updated',
      'after update',
      'product',
      'facet_product_updated',
      'referencing old table as old_rows new table as new_rows for each statement',
    );
    trigger('facet_product_deleting', 'before delete', 'product', 'facet_product_deleting', 'for each row');
    trigger('facet_product_truncated', 'after truncate', 'product', 'facet_truncated', 'for each statement');
    trigger(
      'facet_assortment_inserted',
      'after insert',
      'storefront_product',
      'facet_assortment_inserted',
      'referencing new table as new_rows for each statement',
    );
    trigger(
      'facet_assortment_updated',
      'after update',
      'storefront_product',
      'facet_assortment_updated',
      'referencing old table as old_rows new table as new_rows for each statement',
    );
    trigger(
      'facet_assortment_deleted',
      'after delete',
      'storefront_product',
      'facet_assortment_deleted',
      'referencing old table as old_rows for each statement',
    );
    trigger('facet_assortment_truncated', 'after truncate', 'storefront_product', 'facet_truncated', 'for each statement');

    this.addSql(`select ${s}.facet_count_rebuild()`);
  }
}
