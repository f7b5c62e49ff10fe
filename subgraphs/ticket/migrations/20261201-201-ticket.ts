import { Migration } from '@dcrm/kit';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const STATUSES = ['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING', 'HELD', 'RESOLVED', 'CLOSED', 'CANCELLED', 'REJECTED'];

/** Trouble tickets of accounts, with the account's segment and partner copied for access. */
export class Migration20261201201Ticket extends Migration {
  override async up(): Promise<void> {
    const s = '"ticket"';
    this.addSql(`create table ${s}."ticket" ("id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid not null,
      "segment" varchar(64) not null, "partner_id" uuid null,
      "raised_by_kind" text not null check ("raised_by_kind" in (${list(['CUSTOMER', 'STAFF', 'PARTNER', 'API_KEY'])})),
      "raised_by_id" varchar(100) null,
      "channel" text not null check ("channel" in (${list(['SELF_CARE', 'CHATBOT', 'PHONE', 'EMAIL', 'PORTAL', 'PARTNER', 'STORE'])})),
      "category" text not null
        check ("category" in (${list(['BILLING', 'TECHNICAL', 'NETWORK', 'ORDER', 'DEVICE', 'ACCOUNT', 'COMPLAINT', 'OTHER'])})),
      "priority" text not null check ("priority" in (${list(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'])})),
      "priority_rank" smallint generated always as
        (case "priority" when 'CRITICAL' then 0 when 'HIGH' then 1 when 'MEDIUM' then 2 else 3 end) stored,
      "severity" text not null check ("severity" in (${list(['CRITICAL', 'MAJOR', 'MINOR'])})),
      "status" text not null default 'ACKNOWLEDGED' check ("status" in (${list(STATUSES)})),
      "status_reason" varchar(500) null, "subject" varchar(200) not null, "description" text not null, "resolution" text null,
      "related_order_id" uuid null, "related_product_id" uuid null, "related_contract_id" varchar(100) null,
      "assignee_staff_id" uuid null, "team_id" uuid null, "breached" boolean not null default false,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "status_changed_at" timestamptz not null,
      "first_responded_at" timestamptz null, "resolved_at" timestamptz null, "closed_at" timestamptz null,
      "version" int not null default 1)`);
    // The agent's queue and the staff list (newest first within a storefront), a customer's and an order's tickets.
    this.addSql(`create index "ticket_storefront_idx" on ${s}."ticket" ("storefront_id", "created_at" desc, "id" desc)`);
    this.addSql(`create index "ticket_queue_idx" on ${s}."ticket" ("storefront_id", "priority_rank", "created_at", "id")`);
    this.addSql(`create index "ticket_customer_idx" on ${s}."ticket" ("customer_id", "created_at" desc)`);
    this.addSql(`create index "ticket_order_idx" on ${s}."ticket" ("related_order_id") where "related_order_id" is not null`);
    this.addSql(
      `create index "ticket_assignee_idx" on ${s}."ticket" ("assignee_staff_id", "status") where "assignee_staff_id" is not null`,
    );
  }
}
