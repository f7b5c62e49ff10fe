import { Migration } from '@dcrm/kit';

/**
 * A won opportunity's order: the cart's order id once converted and the key of the conversion that
 * made it. The products the sale is for are the pipeline's `opportunity_line` rows (20261201-150).
 */
export class Migration2026120151SaleOrders extends Migration {
  override async up(): Promise<void> {
    const s = '"opportunity"';
    this.addSql(`alter table ${s}."opportunity" add column "order_id" uuid null, add column "conversion_key" varchar(200) null`);
    this.addSql(`create unique index "opportunity_order_idx" on ${s}."opportunity" ("order_id") where "order_id" is not null`);
  }
}
