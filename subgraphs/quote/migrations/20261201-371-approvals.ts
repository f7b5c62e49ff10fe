import { Migration } from '@dcrm/kit';

/** Approval rules per storefront (as data) and the approval each matched level asks for on a quote. */
export class Migration20261201371Approvals extends Migration {
  override async up(): Promise<void> {
    const s = '"quote"';
    this.addSql(`create table ${s}."quote_approval_rule_set" ("storefront_id" uuid primary key, "rules" jsonb not null,
      "updated_by" varchar(100) null, "updated_at" timestamptz not null, "version" int not null default 1)`);
    this.addSql(`create table ${s}."quote_approval" ("id" uuid primary key,
      "quote_id" uuid not null references ${s}."quote" ("id") on delete cascade, "level" varchar(16) not null,
      "status" text not null default 'PENDING' check ("status" in ('PENDING', 'APPROVED', 'REJECTED')),
      "reasons" jsonb not null, "approver_ids" jsonb not null, "requested_by" varchar(100) null,
      "decided_by" varchar(100) null, "comment" text null, "decided_at" timestamptz null, "created_at" timestamptz not null,
      unique ("quote_id", "level"))`);
  }
}
