import { Migration } from '@dcrm/kit';

/**
 * The pipeline as data: stages per storefront (TMF699 status mapping, idle limit), allowed transitions
 * with required fields and named guards, managed rejection/loss reasons, custom field definitions;
 * opportunity lines (a priced snapshot), stage history, and the opportunity's commercial details.
 */
export class Migration20261201150Pipeline extends Migration {
  override async up(): Promise<void> {
    const s = '"opportunity"';
    const statuses = `('OPEN', 'WON', 'LOST', 'REJECTED', 'CANCELLED')`;
    this.addSql(`create table ${s}."pipeline_stage" ("id" uuid primary key, "storefront_id" uuid not null,
      "code" varchar(64) not null, "name" varchar(120) not null, "position" int not null,
      "status" text not null check ("status" in ${statuses}),
      "tmf_status" text not null check ("tmf_status" in ('acknowledged', 'inProgress', 'pending', 'accepted', 'rejected', 'cancelled')),
      "idle_limit_hours" int null check ("idle_limit_hours" > 0), "probability" int null check ("probability" between 0 and 100),
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1)`);
    this.addSql(`create unique index "pipeline_stage_code_uq" on ${s}."pipeline_stage" ("storefront_id", "code")`);
    this.addSql(`create table ${s}."stage_transition" ("id" uuid primary key, "storefront_id" uuid not null,
      "from_code" varchar(64) not null, "to_code" varchar(64) not null,
      "required_fields" jsonb not null default '[]', "guards" jsonb not null default '[]',
      "created_at" timestamptz not null, "updated_at" timestamptz not null)`);
    this.addSql(`create unique index "stage_transition_uq" on ${s}."stage_transition" ("storefront_id", "from_code", "to_code")`);
    this.addSql(`create table ${s}."opportunity_reason" ("id" uuid primary key, "storefront_id" uuid not null,
      "code" varchar(64) not null, "label" varchar(200) not null,
      "kind" text not null check ("kind" in ('REJECTION', 'LOSS')), "active" boolean not null default true,
      "position" int not null default 0,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1)`);
    this.addSql(`create unique index "opportunity_reason_code_uq" on ${s}."opportunity_reason" ("storefront_id", "code")`);
    this.addSql(`create table ${s}."custom_field_definition" ("id" uuid primary key, "storefront_id" uuid not null,
      "entity" text not null check ("entity" in ('OPPORTUNITY', 'LEAD')), "key" varchar(64) not null,
      "label" varchar(120) not null,
      "type" text not null check ("type" in ('TEXT', 'NUMBER', 'DATE', 'BOOLEAN', 'SELECT')),
      "options" jsonb not null default '[]', "required" boolean not null default false,
      "position" int not null default 0, "active" boolean not null default true,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1)`);
    this.addSql(`create unique index "custom_field_key_uq" on ${s}."custom_field_definition" ("storefront_id", "entity", "key")`);

    this.addSql(`alter table ${s}."opportunity"
      add column "contact" jsonb null, add column "address" jsonb null, add column "credit" jsonb null,
      add column "budget_amount" numeric(14,2) null check ("budget_amount" >= 0), add column "budget_currency" char(3) null,
      add column "estimated_one_off" numeric(14,2) not null default 0,
      add column "estimated_monthly" numeric(14,2) not null default 0,
      add column "estimated_first_year" numeric(14,2) not null default 0,
      add column "estimated_currency" char(3) null,
      add column "close_date" date null, add column "closed_at" timestamptz null,
      add column "close_reason_code" varchar(64) null, add column "competitor" varchar(200) null,
      add column "custom_fields" jsonb not null default '{}', add column "stage_entered_at" timestamptz null`);
    this.addSql(`create unique index "opportunity_lead_uq" on ${s}."opportunity" ("lead_id") where "lead_id" is not null`);
    this.addSql(`create index "opportunity_stage_idx" on ${s}."opportunity" ("storefront_id", "stage")`);
    this.addSql(`create index "opportunity_owner_idx" on ${s}."opportunity" ("owner_staff_id") where "owner_staff_id" is not null`);
    this.addSql(`create index "opportunity_closed_idx" on ${s}."opportunity" ("storefront_id", "closed_at") where "closed_at" is not null`);

    this.addSql(`create table ${s}."opportunity_line" ("id" uuid primary key,
      "opportunity_id" uuid not null references ${s}."opportunity" ("id") on delete cascade,
      "storefront_id" uuid not null, "product_id" uuid not null, "name" varchar(200) not null, "kind" varchar(16) not null,
      "quantity" int not null check ("quantity" between 1 and 10000), "position" int not null,
      "one_off" numeric(14,2) null, "monthly" numeric(14,2) null, "currency" char(3) null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null)`);
    this.addSql(`create index "opportunity_line_opportunity_idx" on ${s}."opportunity_line" ("opportunity_id", "position")`);
    this.addSql(`create table ${s}."opportunity_history" ("id" uuid primary key,
      "opportunity_id" uuid not null references ${s}."opportunity" ("id") on delete cascade,
      "storefront_id" uuid not null, "from_stage" varchar(64) null, "to_stage" varchar(64) not null,
      "to_status" text not null check ("to_status" in ${statuses}),
      "actor_kind" varchar(16) not null, "actor_id" varchar(100) null,
      "reason_code" varchar(64) null, "reason_label" varchar(200) null, "competitor" varchar(200) null, "note" text null,
      "at" timestamptz not null)`);
    this.addSql(`create index "opportunity_history_opportunity_idx" on ${s}."opportunity_history" ("opportunity_id", "id")`);
  }
}
