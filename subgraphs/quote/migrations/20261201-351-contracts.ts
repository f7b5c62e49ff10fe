import { Migration } from '@dcrm/kit';

const STATUSES = `('DRAFT', 'PENDING_APPROVAL', 'ACTIVE', 'RENEWAL_DUE', 'RENEWED', 'TERMINATED', 'CANCELLED', 'EXPIRED')`;

/** Contract templates, contracts with their lines (monthly fees in minor units) and their history. */
export class Migration20261201351Contracts extends Migration {
  override async up(): Promise<void> {
    const s = '"quote"';
    this.addSql(`create sequence ${s}."contract_number_seq"`);
    this.addSql(`create table ${s}."contract_template" ("id" uuid primary key, "storefront_id" uuid not null, "name" varchar(120) not null,
      "term_months" int not null check ("term_months" between 1 and 120),
      "renewal_policy" text not null check ("renewal_policy" in ('AUTO_RENEW', 'RENEWAL_OFFER', 'NONE')),
      "notice_days" int not null check ("notice_days" between 0 and 365), "termination_rule" jsonb not null,
      "approval_scope" varchar(64) not null, "active" boolean not null default true,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1,
      unique ("storefront_id", "name"))`);
    this.addSql(`create table ${s}."contract" ("id" uuid primary key, "storefront_id" uuid not null, "number" varchar(32) not null,
      "customer_id" uuid not null, "partner_id" uuid null, "segment" varchar(64) not null,
      "template_id" uuid not null references ${s}."contract_template" ("id"), "template_version" int not null, "terms" jsonb not null,
      "order_id" uuid null, "quote_id" uuid null, "previous_contract_id" uuid null references ${s}."contract" ("id"),
      "currency_code" varchar(3) not null, "monthly_fee_minor" int not null check ("monthly_fee_minor" >= 0),
      "status" text not null default 'DRAFT' check ("status" in ${STATUSES}),
      "period_start" timestamptz not null, "period_end" timestamptz not null,
      "terminated_at" timestamptz null, "termination_reason" text null, "termination_charge_minor" int null check ("termination_charge_minor" >= 0),
      "approved_by" varchar(100) null, "approved_at" timestamptz null, "internal_note" text null, "created_by" varchar(100) null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1,
      check ("period_end" > "period_start"), unique ("storefront_id", "number"))`);
    this.addSql(`create index "contract_storefront_idx" on ${s}."contract" ("storefront_id", "id" desc)`);
    this.addSql(`create index "contract_customer_idx" on ${s}."contract" ("customer_id", "id" desc)`);
    this.addSql(`create index "contract_order_idx" on ${s}."contract" ("order_id") where "order_id" is not null`);
    this.addSql(`create table ${s}."contract_line" ("id" uuid primary key, "contract_id" uuid not null references ${s}."contract" ("id") on delete cascade,
      "position" int not null, "product_id" uuid not null, "name" varchar(200) not null,
      "quantity" int not null check ("quantity" between 1 and 999), "monthly_fee_minor" int not null check ("monthly_fee_minor" >= 0))`);
    this.addSql(`create index "contract_line_contract_idx" on ${s}."contract_line" ("contract_id", "position")`);
    this.addSql(`create table ${s}."contract_event" ("id" uuid primary key, "contract_id" uuid not null references ${s}."contract" ("id") on delete cascade,
      "at" timestamptz not null, "action" varchar(32) not null, "from_status" text null, "to_status" text not null,
      "actor_kind" varchar(16) not null, "actor_id" varchar(100) null, "reason" text null)`);
    this.addSql(`create index "contract_event_contract_idx" on ${s}."contract_event" ("contract_id", "at")`);
  }
}
