import { Migration } from '@dcrm/kit';

/**
 * Indexes for product pages and search (issue 20):
 * - the assortment row of a product, covering what listings read of it (price, position): a search joins
 *   each match to it with an index-only probe; it replaces the plain product_id index (foreign key lookups);
 * - a product's price rows, covering what prices read, for the same reason;
 * - translated product names, full-text (same English configuration as `product.search`): a search in a
 *   language finds its matches by index instead of testing every product of the assortment.
 */
export class Migration20261204P01SearchDetailIndexes extends Migration {
  override async up(): Promise<void> {
    const s = '"catalog"';
    this.addSql(
      `create index "storefront_product_product_cover_idx" on ${s}."storefront_product" ("product_id", "storefront_id") include ("list_amount", "position")`,
    );
    this.addSql(`drop index ${s}."storefront_product_product_idx"`);
    this.addSql(
      `create index "price_product_cover_idx" on ${s}."price" ("product_id") include ("price_list_id", "type", "amount", "interval", "deposit", "tax_category", "id")`,
    );
    this.addSql(`drop index ${s}."price_product_idx"`);
    this.addSql(
      `create index "translation_product_name_search_idx" on ${s}."translation" using gin (to_tsvector('english'::regconfig, "value")) where "subject" = 'product' and "field" = 'name'`,
    );
  }
}
