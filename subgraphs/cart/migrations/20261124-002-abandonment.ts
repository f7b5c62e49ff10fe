import { Migration } from '@dcrm/kit';

/** Browse events, drop links (one per abandoned cart or browse episode), their reminders, and outgoing notifications. */
export class Migration20261124002Abandonment extends Migration {
  override async up(): Promise<void> {
    const s = '"cart"';
    this.addSql(`alter table ${s}."cart" add column "segment" varchar(64) null, add column "assisted_by" uuid null`);
    this.addSql(`create table ${s}."browse_event" ("id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid not null,
      "product_id" uuid not null, "viewed_at" timestamptz not null)`);
    this.addSql(`create index "browse_event_customer_idx" on ${s}."browse_event" ("customer_id", "viewed_at" desc)`);
    this.addSql(`create index "browse_event_recent_idx" on ${s}."browse_event" ("viewed_at")`);
    // source_key: the cart for CART links, the customer's last browse event for BROWSE links — one link per source.
    this.addSql(`create table ${s}."drop_link" ("id" uuid primary key, "storefront_id" uuid not null, "kind" text not null check ("kind" in ('CART', 'BROWSE')),
      "source_key" uuid not null, "customer_id" uuid null, "cart_id" uuid null references ${s}."cart" ("id") on delete cascade,
      "state" jsonb not null, "created_at" timestamptz not null, "expires_at" timestamptz not null,
      "recovered_at" timestamptz null, "converted_at" timestamptz null, "stopped_reason" varchar(40) null, unique ("kind", "source_key"))`);
    this.addSql(`create index "drop_link_storefront_idx" on ${s}."drop_link" ("storefront_id", "created_at")`);
    this.addSql(`create table ${s}."reminder" ("id" uuid primary key, "drop_link_id" uuid not null references ${s}."drop_link" ("id") on delete cascade,
      "step" int not null, "due_at" timestamptz not null, "sent_at" timestamptz null, "channel" varchar(20) null, "cancelled_at" timestamptz null,
      unique ("drop_link_id", "step"))`);
    this.addSql(`create index "reminder_due_idx" on ${s}."reminder" ("due_at") where "sent_at" is null and "cancelled_at" is null`);
    // What the default channel adapter "sends": email and SMS land here (a real adapter replaces it).
    this.addSql(`create table ${s}."notification" ("id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid not null,
      "channel" varchar(20) not null, "subject" varchar(200) not null, "body" text not null, "link_token" varchar(100) not null, "created_at" timestamptz not null)`);
    this.addSql(`create index "notification_customer_idx" on ${s}."notification" ("customer_id", "created_at")`);
  }
}
