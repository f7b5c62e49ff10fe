import { Migration } from '@dcrm/kit';

/**
 * Orders placed from a sale (a won opportunity, an accepted quote) rather than a cart: no cart, the
 * sale they come from, the staff member or partner user who placed them, and a digest of the request
 * so a key reused with another payload is told apart from a retry.
 */
export class Migration2026120150SaleOrders extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "cart"."customer_order" alter column "cart_id" drop not null');
    this.addSql('alter table "cart"."customer_order" add column "source_kind" text null, add column "source_id" uuid null');
    this.addSql('alter table "cart"."customer_order" add column "placed_by" uuid null, add column "request_digest" text null');
    this.addSql(
      `alter table "cart"."customer_order" add constraint "customer_order_source_check"
       check ((source_kind is null and source_id is null) or (source_kind in ('OPPORTUNITY', 'QUOTE') and source_id is not null))`,
    );
    this.addSql('create index "customer_order_source_idx" on "cart"."customer_order" ("source_kind", "source_id")');
  }
}
