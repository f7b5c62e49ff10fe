import { Migration } from '@dcrm/kit';

/**
 * The storefront's headline list price (recurring first) kept beside the assortment row, so listing,
 * price sorting, price bands and facets read a column instead of a per-row price lookup.
 */
export class Migration20261124003ListAmount extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "catalog"."storefront_product" add column "list_amount" numeric(12,2) null');
    this.addSql(`update "catalog"."storefront_product" sp set "list_amount" = (
      select pr.amount from "catalog"."price" pr join "catalog"."price_list" pl on pl.id = pr.price_list_id
      where pr.product_id = sp.product_id and pl.storefront_id = sp.storefront_id and pl.customer_id is null and pl.segment is null
      order by pr.type = 'RECURRING' desc limit 1)`);
    this.addSql(
      'create index "storefront_product_amount_idx" on "catalog"."storefront_product" ("storefront_id", "list_amount", "product_id")',
    );
  }
}
