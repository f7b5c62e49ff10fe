import { Migration } from '@dcrm/kit';

/** Quotes (one row per revision) and their lines. */
export class Migration20261201301Quote extends Migration {
  override async up(): Promise<void> {
    const s = '"quote"';
    this.addSql(`create sequence ${s}."quote_number_seq"`);
    this.addSql(`create table ${s}."quote" ("id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid null,
      "partner_id" uuid null, "segment" varchar(64) not null, "prospect" jsonb null, "opportunity_id" uuid null,
      "number" varchar(32) not null, "revision" int not null default 1 check ("revision" >= 1),
      "status" text not null default 'DRAFT' check ("status" in ('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED', 'ACCEPTED', 'CANCELLED')),
      "valid_from" timestamptz not null, "valid_until" timestamptz not null, "currency_code" varchar(3) not null,
      "discount_type" text null check ("discount_type" in ('PERCENT', 'AMOUNT')), "discount_value" numeric(12,2) null check ("discount_value" >= 0),
      "totals" jsonb not null, "internal_note" text null, "created_by" varchar(100) null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1,
      check ("valid_until" > "valid_from"), check ("customer_id" is not null or "prospect" is not null),
      check (("discount_type" is null) = ("discount_value" is null)),
      unique ("storefront_id", "number", "revision"))`);
    this.addSql(`create index "quote_storefront_idx" on ${s}."quote" ("storefront_id", "id" desc)`);
    this.addSql(`create index "quote_customer_idx" on ${s}."quote" ("customer_id", "id" desc) where "customer_id" is not null`);
    this.addSql(`create index "quote_opportunity_idx" on ${s}."quote" ("opportunity_id") where "opportunity_id" is not null`);
    this.addSql(`create table ${s}."quote_line" ("id" uuid primary key, "quote_id" uuid not null references ${s}."quote" ("id") on delete cascade,
      "position" int not null, "product_id" uuid not null, "parent_line_id" uuid null references ${s}."quote_line" ("id") on delete cascade,
      "name" varchar(200) not null, "kind" varchar(16) not null, "quantity" int not null check ("quantity" between 1 and 999),
      "discount_type" text null check ("discount_type" in ('PERCENT', 'AMOUNT')), "discount_value" numeric(12,2) null check ("discount_value" >= 0),
      "recurring_price" numeric(12,2) null, "one_off_price" numeric(12,2) null, "deposit" numeric(12,2) null,
      "tax_category" varchar(16) not null default 'STANDARD',
      "discount_one_off" numeric(12,2) not null default 0, "discount_recurring" numeric(12,2) not null default 0,
      check (("discount_type" is null) = ("discount_value" is null)))`);
    this.addSql(`create index "quote_line_quote_idx" on ${s}."quote_line" ("quote_id", "position")`);
  }
}
