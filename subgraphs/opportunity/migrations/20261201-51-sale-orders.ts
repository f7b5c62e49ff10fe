import { Migration } from '@dcrm/kit';

/**
 * A won opportunity's order: the cart's order id once converted and the key of the conversion that
 * made it; the products the sale is for (`opportunity_line`: product and quantity, priced by the catalog
 * when the order is placed).
 */
export class Migration2026120151SaleOrders extends Migration {
  override async up(): Promise<void> {
    const s = '"opportunity"';
    this.addSql(`alter table ${s}."opportunity" add column "order_id" uuid null, add column "conversion_key" varchar(200) null`);
    this.addSql(`create unique index "opportunity_order_idx" on ${s}."opportunity" ("order_id") where "order_id" is not null`);
    this.addSql(`create table ${s}."opportunity_line" ("id" uuid primary key,
      "opportunity_id" uuid not null references ${s}."opportunity" ("id") on delete cascade,
      "product_id" uuid not null, "quantity" int not null check ("quantity" between 1 and 999),
      "created_at" timestamptz not null default now())`);
    this.addSql(`create index "opportunity_line_opportunity_idx" on ${s}."opportunity_line" ("opportunity_id", "created_at", "id")`);
  }
}
