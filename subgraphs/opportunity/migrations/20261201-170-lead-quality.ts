import { appliedBatchTableSql, Migration } from '@dcrm/kit';

/**
 * Lead scoring, duplicate detection, merges and bulk import: the normalised contact keys (kit
 * contact-match.ts) in indexed columns, merge bookkeeping, the MERGED status, a scoring rule set per
 * storefront, indexes for the score / rating / budget filters and sorts, and the bulk framework's
 * applied-batch record.
 */
export class Migration20261201170LeadQuality extends Migration {
  override async up(): Promise<void> {
    const s = '"opportunity"';
    this.addSql(`alter table ${s}."lead" add column "email_key" varchar(320) null, add column "mobile_key" varchar(32) null,
      add column "name_key" varchar(300) null, add column "address_key" varchar(600) null,
      add column "interest_keys" text[] not null default '{}', add column "merged_into" uuid null,
      add column "merge_history" jsonb not null default '[]'`);
    this.addSql(`alter table ${s}."lead" drop constraint if exists "lead_status_check"`);
    this.addSql(`alter table ${s}."lead" add constraint "lead_status_check"
      check ("status" in ('NEW', 'ACKNOWLEDGED', 'QUALIFIED', 'REJECTED', 'CONVERTED', 'MERGED'))`);
    // Existing rows: keys as contact-match would write them for e-mail and mobile (already normalised).
    this.addSql(`update ${s}."lead" set "email_key" = lower(trim("email")), "mobile_key" = "mobile",
      "name_key" = nullif(lower(trim(concat_ws(' ', "first_name", "last_name"))), '')`);
    this.addSql(`create index "lead_email_key_idx" on ${s}."lead" ("storefront_id", "email_key") where "email_key" is not null`);
    this.addSql(`create index "lead_mobile_key_idx" on ${s}."lead" ("storefront_id", "mobile_key") where "mobile_key" is not null`);
    this.addSql(`create index "lead_name_key_idx" on ${s}."lead" ("storefront_id", "name_key") where "name_key" is not null`);
    this.addSql(`create index "lead_score_idx" on ${s}."lead" ("storefront_id", "score" desc, "id" desc)`);
    this.addSql(
      `create index "lead_budget_idx" on ${s}."lead" ("storefront_id", "budget_amount" desc, "id" desc) where "budget_amount" is not null`,
    );
    this.addSql(`create index "lead_merged_into_idx" on ${s}."lead" ("merged_into") where "merged_into" is not null`);
    this.addSql(`create table ${s}."lead_scoring_rule_set" ("storefront_id" uuid primary key, "rules" jsonb not null default '[]',
      "updated_by" varchar(100) null, "created_at" timestamptz not null, "updated_at" timestamptz not null,
      "version" int not null default 1)`);
    this.addSql(appliedBatchTableSql('opportunity'));
  }
}
