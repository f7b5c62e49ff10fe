import { Migration } from '@dcrm/kit';

const s = '"cart"';

/**
 * Spend control: budgets per business account and period, and orders held for the account holder's
 * approval (PENDING_APPROVAL, then PLACED or REJECTED) with the account that decides.
 */
export class Migration202612021001SpendControl extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table ${s}."spend_budget" ("id" uuid not null primary key, "storefront_id" uuid not null,
      "customer_id" uuid not null, "segment" text not null, "partner_id" uuid null,
      "period" text not null check ("period" in ('MONTH', 'QUARTER', 'YEAR')),
      "amount" numeric(12,2) not null check ("amount" >= 0), "currency_code" varchar(3) not null,
      "per_order_limit" numeric(12,2) null check ("per_order_limit" >= 0), "time_zone" text not null, "set_by" uuid not null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1,
      constraint "spend_budget_account_period_unique" unique ("storefront_id", "customer_id", "period"))`);
    this.addSql(`alter table ${s}."customer_order" drop constraint if exists "customer_order_status_check"`);
    this.addSql(`alter table ${s}."customer_order" add constraint "customer_order_status_check"
      check ("status" in ('PLACED', 'PROVISIONING', 'ACTIVE', 'CANCELLED', 'PENDING_APPROVAL', 'REJECTED'))`);
    this.addSql(`alter table ${s}."customer_order" add column "approver_id" uuid null`);
    // What a budget's period counts: one account's orders by time.
    this.addSql(`create index "customer_order_spend_idx" on ${s}."customer_order" ("storefront_id", "customer_id", "placed_at")`);
  }
}
