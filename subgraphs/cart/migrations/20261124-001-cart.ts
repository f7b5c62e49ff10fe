import { Migration } from '@dcrm/kit';

export class Migration20261124001Cart extends Migration {
  override async up(): Promise<void> {
    const s = '"cart"';
    this.addSql(`create table ${s}."cart" ("id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid null,
      "token_hash" varchar(64) null unique, "status" text not null default 'OPEN' check ("status" in ('OPEN', 'CONVERTED', 'MERGED')),
      "currency_code" varchar(3) not null, "note" text null, "order_id" uuid null, "created_at" timestamptz not null,
      "updated_at" timestamptz not null, "version" int not null default 1)`);
    this.addSql(`create index "cart_customer_idx" on ${s}."cart" ("customer_id", "status")`);
    this.addSql(`create index "cart_idle_idx" on ${s}."cart" ("status", "updated_at")`);
    this.addSql(`create table ${s}."cart_line" ("id" uuid primary key, "cart_id" uuid not null references ${s}."cart" ("id") on delete cascade,
      "product_id" uuid not null, "parent_line_id" uuid null references ${s}."cart_line" ("id") on delete cascade,
      "quantity" int not null check ("quantity" between 1 and 99), "created_at" timestamptz not null)`);
    this.addSql(`create index "cart_line_cart_idx" on ${s}."cart_line" ("cart_id")`);
    this.addSql(`create sequence ${s}."order_number_seq"`);
    this.addSql(`create table ${s}."customer_order" ("id" uuid primary key, "number" varchar(32) not null unique, "storefront_id" uuid not null,
      "customer_id" uuid not null, "partner_id" uuid null, "segment" varchar(64) not null, "cart_id" uuid not null unique,
      "idempotency_key" varchar(200) not null, "status" text not null default 'PLACED'
        check ("status" in ('PLACED', 'PROVISIONING', 'ACTIVE', 'CANCELLED')),
      "status_reason" varchar(500) null, "currency_code" varchar(3) not null, "totals" jsonb not null, "placed_at" timestamptz not null,
      "version" int not null default 1, unique ("storefront_id", "idempotency_key"))`);
    this.addSql(`create index "order_customer_idx" on ${s}."customer_order" ("customer_id", "id" desc)`);
    this.addSql(`create index "order_partner_idx" on ${s}."customer_order" ("partner_id", "id" desc)`);
    this.addSql(`create index "order_segment_idx" on ${s}."customer_order" ("storefront_id", "segment", "id" desc)`);
    this.addSql(`create table ${s}."order_line" ("id" uuid primary key, "order_id" uuid not null references ${s}."customer_order" ("id") on delete cascade,
      "product_id" uuid not null, "name" varchar(255) not null, "quantity" int not null,
      "recurring_price" numeric(12,2) null, "one_off_price" numeric(12,2) null, "deposit" numeric(12,2) null)`);
    this.addSql(`create index "order_line_order_idx" on ${s}."order_line" ("order_id")`);
    this.addSql(`create index "order_line_product_idx" on ${s}."order_line" ("product_id")`);
    this.addSql(`create table ${s}."order_event" ("id" uuid primary key, "order_id" uuid not null references ${s}."customer_order" ("id") on delete cascade,
      "status" text not null, "reason" varchar(500) null, "at" timestamptz not null)`);
    this.addSql(`create index "order_event_order_idx" on ${s}."order_event" ("order_id", "at")`);
    this.addSql(`create table ${s}."outbox" ("id" uuid primary key, "type" varchar(100) not null, "payload" jsonb not null,
      "created_at" timestamptz not null, "published_at" timestamptz null)`);
    this.addSql(`create index "outbox_unpublished_idx" on ${s}."outbox" ("created_at") where "published_at" is null`);
  }
}
