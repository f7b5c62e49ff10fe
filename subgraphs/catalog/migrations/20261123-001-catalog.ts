import { Migration } from '@dcrm/kit';

export class Migration20261123001Catalog extends Migration {
  override async up(): Promise<void> {
    const s = '"catalog"';
    this.addSql(`create table ${s}."storefront" ("id" uuid primary key, "slug" varchar(64) not null unique, "name" varchar(255) not null,
      "currency_code" varchar(3) not null, "locale" varchar(35) not null, "theme" jsonb not null, "created_at" timestamptz not null)`);
    this.addSql(`create table ${s}."storefront_key" ("id" uuid primary key,
      "storefront_id" uuid not null references ${s}."storefront" ("id"), "name" varchar(255) not null,
      "prefix" varchar(32) not null, "hash" varchar(64) not null unique, "created_at" timestamptz not null, "revoked_at" timestamptz null)`);
    this.addSql(`create table ${s}."store" ("id" uuid primary key, "storefront_id" uuid not null references ${s}."storefront" ("id"),
      "name" varchar(255) not null, "line1" varchar(255) not null, "city" varchar(255) not null, "postcode" varchar(32) not null,
      "country" varchar(2) not null, "latitude" double precision not null check ("latitude" between -90 and 90),
      "longitude" double precision not null check ("longitude" between -180 and 180), "phone" varchar(64) not null,
      "opening_hours" varchar(255) not null)`);
    this.addSql(`create index "store_storefront_latitude_idx" on ${s}."store" ("storefront_id", "latitude")`);

    this.addSql(`create table ${s}."category" ("id" uuid primary key, "slug" varchar(128) not null unique, "name" varchar(255) not null,
      "parent_id" uuid null references ${s}."category" ("id") on delete set null, "position" int not null default 0)`);

    // Full-text search: a generated tsvector (name weighs most) with a GIN index.
    this.addSql(`create table ${s}."product" ("id" uuid primary key, "slug" varchar(128) not null unique, "name" varchar(255) not null,
      "kind" text not null check ("kind" in ('PLAN', 'ADDON', 'DEVICE', 'BUNDLE')),
      "status" text not null default 'DRAFT' check ("status" in ('DRAFT', 'ACTIVE', 'ARCHIVED')),
      "description" text not null, "category_id" uuid null references ${s}."category" ("id") on delete set null,
      "attributes" jsonb not null default '[]', "images" jsonb not null default '[]',
      "created_at" timestamptz not null, "updated_at" timestamptz not null,
      "search" tsvector generated always as (
        setweight(to_tsvector('english'::regconfig, "name"), 'A') ||
        setweight(to_tsvector('english'::regconfig, "kind"), 'B') ||
        setweight(to_tsvector('english'::regconfig, "description"), 'C')) stored)`);
    this.addSql(`create index "product_search_idx" on ${s}."product" using gin ("search")`);
    this.addSql(`create index "product_category_idx" on ${s}."product" ("category_id")`);

    this.addSql(`create table ${s}."product_addon" (
      "product_id" uuid not null references ${s}."product" ("id") on delete cascade,
      "addon_id" uuid not null references ${s}."product" ("id") on delete cascade,
      primary key ("product_id", "addon_id"), check ("product_id" <> "addon_id"))`);
    this.addSql(`create index "product_addon_addon_idx" on ${s}."product_addon" ("addon_id")`);
    this.addSql(`create table ${s}."bundle_item" (
      "bundle_id" uuid not null references ${s}."product" ("id") on delete cascade,
      "item_id" uuid not null references ${s}."product" ("id") on delete cascade,
      "quantity" int not null default 1 check ("quantity" > 0), primary key ("bundle_id", "item_id"))`);
    this.addSql(`create table ${s}."storefront_product" (
      "storefront_id" uuid not null references ${s}."storefront" ("id") on delete cascade,
      "product_id" uuid not null references ${s}."product" ("id") on delete cascade,
      "position" int not null default 0, primary key ("storefront_id", "product_id"))`);
    this.addSql(`create index "storefront_product_position_idx" on ${s}."storefront_product" ("storefront_id", "position", "product_id")`);
    this.addSql(`create index "storefront_product_product_idx" on ${s}."storefront_product" ("product_id")`);

    this.addSql(`create table ${s}."price_list" ("id" uuid primary key, "storefront_id" uuid not null references ${s}."storefront" ("id"),
      "name" varchar(255) not null, "currency_code" varchar(3) not null, "customer_id" uuid null, "segment" varchar(64) null,
      "created_at" timestamptz not null, check ("customer_id" is null or "segment" is null))`);
    // One list-price list per storefront; at most one list per account and per segment.
    this.addSql(
      `create unique index "price_list_default_unique" on ${s}."price_list" ("storefront_id") where "customer_id" is null and "segment" is null`,
    );
    this.addSql(
      `create unique index "price_list_customer_unique" on ${s}."price_list" ("storefront_id", "customer_id") where "customer_id" is not null`,
    );
    this.addSql(
      `create unique index "price_list_segment_unique" on ${s}."price_list" ("storefront_id", "segment") where "segment" is not null`,
    );
    this.addSql(`create table ${s}."price" ("id" uuid primary key, "price_list_id" uuid not null references ${s}."price_list" ("id") on delete cascade,
      "product_id" uuid not null references ${s}."product" ("id") on delete cascade,
      "type" text not null check ("type" in ('RECURRING', 'ONE_OFF')),
      "amount" numeric(12,2) not null check ("amount" >= 0),
      "interval" text null check ("interval" in ('MONTH', 'YEAR')),
      "deposit" numeric(12,2) null check ("deposit" >= 0),
      "tax_category" text not null default 'STANDARD' check ("tax_category" in ('STANDARD', 'REDUCED', 'ZERO', 'EXEMPT')),
      check (("type" = 'RECURRING') = ("interval" is not null)),
      unique ("price_list_id", "product_id", "type"))`);
    this.addSql(`create index "price_product_idx" on ${s}."price" ("product_id")`);
  }
}
