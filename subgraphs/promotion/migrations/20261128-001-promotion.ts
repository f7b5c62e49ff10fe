import { Migration } from '@dcrm/kit';

/** Promotions and their redemptions, campaigns, offers, real-time rules and the event signals they count. */
export class Migration20261128001Promotion extends Migration {
  override async up(): Promise<void> {
    const s = '"promotion"';
    this.addSql(`create table ${s}."promotion" ("id" uuid primary key, "storefront_id" uuid not null, "name" varchar(200) not null,
      "description" text null, "priority" int not null default 0,
      "stacking" text not null default 'COMBINABLE' check ("stacking" in ('EXCLUSIVE', 'COMBINABLE')),
      "coupon_code" varchar(64) null, "usage_limit" int null check ("usage_limit" >= 0),
      "per_customer_limit" int null check ("per_customer_limit" >= 0), "usage_count" int not null default 0,
      "conditions" jsonb not null, "actions" jsonb not null, "messages" jsonb not null, "active" boolean not null default true,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1,
      check ("usage_limit" is null or "usage_count" <= "usage_limit"))`);
    // One promotion per code and brand, whatever the case.
    this.addSql(
      `create unique index "promotion_code_uq" on ${s}."promotion" ("storefront_id", lower("coupon_code")) where "coupon_code" is not null`,
    );
    this.addSql(`create index "promotion_storefront_idx" on ${s}."promotion" ("storefront_id", "active", "priority" desc)`);
    this.addSql(`create table ${s}."redemption" ("id" uuid primary key, "promotion_id" uuid not null references ${s}."promotion" ("id"),
      "storefront_id" uuid not null, "customer_id" uuid null, "idempotency_key" varchar(200) not null,
      "status" text not null default 'RESERVED' check ("status" in ('RESERVED', 'RELEASED')),
      "one_off" numeric(12,2) not null, "recurring" numeric(12,2) not null, "created_at" timestamptz not null,
      unique ("storefront_id", "idempotency_key", "promotion_id"))`);
    this.addSql(`create index "redemption_customer_idx" on ${s}."redemption" ("promotion_id", "customer_id") where "status" = 'RESERVED'`);
    this.addSql(`create table ${s}."campaign" ("id" uuid primary key, "storefront_id" uuid not null, "name" varchar(200) not null,
      "objective" varchar(40) not null, "status" text not null default 'DRAFT'
        check ("status" in ('DRAFT', 'SCHEDULED', 'RUNNING', 'COMPLETED', 'CANCELLED')),
      "priority" int not null default 0, "channels" jsonb not null, "audience" jsonb not null, "template" jsonb not null,
      "promotion_id" uuid null references ${s}."promotion" ("id"), "starts_at" timestamptz not null, "ends_at" timestamptz not null,
      "launched_at" timestamptz null, "completed_at" timestamptz null, "cancelled_at" timestamptz null, "cancel_reason" varchar(500) null,
      "audience_cursor" uuid null, "notified" int not null default 0, "created_by" varchar(100) null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1,
      check ("ends_at" > "starts_at"))`);
    this.addSql(`create index "campaign_storefront_idx" on ${s}."campaign" ("storefront_id", "id" desc)`);
    this.addSql(`create table ${s}."offer" ("id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid null,
      "segment" varchar(64) null, "partner_id" uuid null,
      "source" text not null check ("source" in ('CAMPAIGN', 'REAL_TIME', 'AGENT', 'STOREFRONT')),
      "campaign_id" uuid null references ${s}."campaign" ("id"), "rule_id" uuid null, "promotion_id" uuid null,
      "product_id" uuid null, "title" varchar(200) not null, "message" text not null, "content" text null, "link" varchar(2000) null,
      "image_url" varchar(2000) null, "coupon_code" varchar(64) null, "score" double precision not null default 0,
      "status" text not null default 'NEW' check ("status" in ('NEW', 'SEEN', 'ACCEPTED', 'DISMISSED', 'REDEEMED', 'EXPIRED')),
      "dedupe_key" varchar(200) null unique, "created_at" timestamptz not null, "expires_at" timestamptz null,
      "seen_at" timestamptz null, "clicked_at" timestamptz null, "dismissed_at" timestamptz null, "redeemed_at" timestamptz null,
      "converted_at" timestamptz null, "revenue" numeric(12,2) null)`);
    this.addSql(`create index "offer_customer_idx" on ${s}."offer" ("customer_id", "status", "score" desc)`);
    this.addSql(`create index "offer_public_idx" on ${s}."offer" ("storefront_id", "score" desc) where "customer_id" is null`);
    this.addSql(`create index "offer_campaign_idx" on ${s}."offer" ("campaign_id") where "campaign_id" is not null`);
    this.addSql(`create table ${s}."offer_rule" ("id" uuid primary key, "storefront_id" uuid not null, "name" varchar(200) not null,
      "event" text not null check ("event" in ('PRODUCT_VIEWED', 'CART_ABANDONED', 'ORDER_PLACED')),
      "threshold" int not null default 1 check ("threshold" between 1 and 100),
      "window_minutes" int not null default 1440, "cooldown_minutes" int not null default 1440, "template" jsonb not null,
      "promotion_id" uuid null references ${s}."promotion" ("id"), "offer_ttl_hours" int not null default 48,
      "score" double precision not null default 60, "active" boolean not null default true,
      "created_at" timestamptz not null, "version" int not null default 1)`);
    this.addSql(`create index "offer_rule_event_idx" on ${s}."offer_rule" ("storefront_id", "event") where "active"`);
    // Domain events as real-time rules count them; the event id makes each count once across promotion instances.
    this.addSql(`create table ${s}."signal" ("event_id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid not null,
      "event" text not null, "product_id" uuid null, "at" timestamptz not null)`);
    this.addSql(`create index "signal_count_idx" on ${s}."signal" ("customer_id", "event", "product_id", "at")`);
  }
}
