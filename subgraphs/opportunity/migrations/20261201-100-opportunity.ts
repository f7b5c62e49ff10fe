import { auditTableSql, eventOutboxSql, Migration, notifyOutboxSql } from '@dcrm/kit';

/**
 * Leads and opportunities (TMF699 SalesLead, SalesOpportunity), the domain-event outbox, the audit
 * trail (kit audit-record.ts) and the notification outbox (kit notify-on-change.ts).
 */
export class Migration20261201100Opportunity extends Migration {
  override async up(): Promise<void> {
    const s = '"opportunity"';
    this.addSql(`create table ${s}."lead" ("id" uuid primary key, "storefront_id" uuid not null,
      "channel" text not null check ("channel" in ('PORTAL', 'WEB', 'EMAIL', 'IVR', 'SELF_CARE', 'PARTNER', 'BULK')),
      "status" text not null default 'NEW' check ("status" in ('NEW', 'ACKNOWLEDGED', 'QUALIFIED', 'REJECTED', 'CONVERTED')),
      "source" varchar(200) null, "campaign_id" uuid null, "customer_id" uuid null, "partner_id" uuid null,
      "owner_staff_id" uuid null, "segment" varchar(64) not null default 'consumer',
      "first_name" varchar(100) null, "last_name" varchar(100) null, "company" varchar(200) null,
      "email" varchar(320) null, "mobile" varchar(32) null, "address" jsonb null,
      "product_ids" jsonb not null default '[]', "description" text null,
      "rating" text null check ("rating" in ('HOT', 'WARM', 'COLD')), "category" varchar(64) null,
      "budget_amount" numeric(14,2) null check ("budget_amount" >= 0), "budget_currency" char(3) null,
      "score" int not null default 0, "score_explanation" jsonb not null default '[]', "duplicate_of" uuid null,
      "consent" jsonb null, "rejection_reason" varchar(500) null,
      "captured_at" timestamptz not null, "qualified_at" timestamptz null, "converted_at" timestamptz null,
      "created_by" varchar(100) null, "created_at" timestamptz not null, "updated_at" timestamptz not null,
      "version" int not null default 1)`);
    this.addSql(`create index "lead_storefront_idx" on ${s}."lead" ("storefront_id", "id" desc)`);
    this.addSql(`create index "lead_customer_idx" on ${s}."lead" ("customer_id") where "customer_id" is not null`);
    this.addSql(`create index "lead_campaign_idx" on ${s}."lead" ("campaign_id") where "campaign_id" is not null`);
    this.addSql(`create index "lead_email_idx" on ${s}."lead" ("storefront_id", "email") where "email" is not null`);
    this.addSql(`create index "lead_mobile_idx" on ${s}."lead" ("storefront_id", "mobile") where "mobile" is not null`);
    this.addSql(`create table ${s}."opportunity" ("id" uuid primary key, "storefront_id" uuid not null,
      "customer_id" uuid null, "lead_id" uuid null references ${s}."lead" ("id"), "partner_id" uuid null,
      "segment" varchar(64) not null default 'consumer', "owner_staff_id" uuid null,
      "name" varchar(200) not null, "description" text null,
      "type" text not null default 'NEW_CUSTOMER'
        check ("type" in ('NEW_CUSTOMER', 'UPSELL', 'CROSS_SELL', 'RENEWAL', 'WIN_BACK', 'MIGRATION')),
      "category" varchar(64) null, "stage" varchar(64) not null default 'PROSPECTING',
      "status" text not null default 'OPEN' check ("status" in ('OPEN', 'WON', 'LOST', 'REJECTED', 'CANCELLED')),
      "created_by" varchar(100) null, "created_at" timestamptz not null, "updated_at" timestamptz not null,
      "version" int not null default 1)`);
    this.addSql(`create index "opportunity_storefront_idx" on ${s}."opportunity" ("storefront_id", "id" desc)`);
    this.addSql(`create index "opportunity_customer_idx" on ${s}."opportunity" ("customer_id") where "customer_id" is not null`);
    this.addSql(`create index "opportunity_lead_idx" on ${s}."opportunity" ("lead_id") where "lead_id" is not null`);
    // Domain events written in the same transaction as the change, published after commit.
    for (const sql of eventOutboxSql('opportunity')) this.addSql(sql);
    for (const sql of auditTableSql('opportunity')) this.addSql(sql);
    for (const sql of notifyOutboxSql('opportunity')) this.addSql(sql);
  }
}
