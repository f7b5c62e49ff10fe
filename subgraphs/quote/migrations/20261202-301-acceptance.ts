import { eventOutboxSql, Migration } from '@dcrm/kit';

/**
 * Quote acceptance: the contract template a quote's plans are sold on, who submitted it (told of the
 * decision), each line's share of the promotions (so an accepted quote is ordered at exactly its
 * totals), one acceptance per quote revision (begun, then done with its order and contract), and the
 * subgraph's event outbox (`quote.accepted`).
 */
export class Migration20261202301Acceptance extends Migration {
  override async up(): Promise<void> {
    const s = '"quote"';
    this.addSql(`alter table ${s}."quote" add column "contract_template_id" uuid null,
      add column "submitted_by" varchar(100) null, add column "submitted_by_kind" varchar(20) null`);
    this.addSql(`alter table ${s}."quote_line" add column "promotion_one_off" numeric(12,2) not null default 0,
      add column "promotion_recurring" numeric(12,2) not null default 0`);
    this.addSql(`create table ${s}."quote_acceptance" ("quote_id" uuid primary key references ${s}."quote" ("id") on delete cascade,
      "storefront_id" uuid not null, "idempotency_key" varchar(200) not null, "order_key" varchar(200) not null,
      "status" varchar(16) not null default 'PENDING' check ("status" in ('PENDING', 'DONE')),
      "actor_kind" varchar(20) not null, "actor_id" varchar(100) not null, "started_at" timestamptz not null,
      "accepted_at" timestamptz null, "order_id" uuid null, "contract_id" uuid null)`);
    this.addSql(`create index "quote_acceptance_order_idx" on ${s}."quote_acceptance" ("order_id")`);
    this.addSql(`create index "quote_acceptance_pending_idx" on ${s}."quote_acceptance" ("started_at") where "status" = 'PENDING'`);
    for (const sql of eventOutboxSql('quote')) this.addSql(sql);
  }
}
