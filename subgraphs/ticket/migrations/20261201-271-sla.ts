import { Migration } from '@dcrm/kit';

const PRIORITIES = `'CRITICAL', 'HIGH', 'MEDIUM', 'LOW'`;
const CATEGORIES = `'BILLING', 'TECHNICAL', 'NETWORK', 'ORDER', 'DEVICE', 'ACCOUNT', 'COMPLAINT', 'OTHER'`;

/**
 * SLA as data: a business calendar per storefront, SLA policies (targets per priority, category and
 * segment), and each ticket's clock (the policy and calendar it was given, pauses, due times, the
 * escalation level reached). `ticket.breached` stays the flag the 360° view and dashboards count.
 */
export class Migration20261201271Sla extends Migration {
  override async up(): Promise<void> {
    const s = '"ticket"';
    this.addSql(`create table ${s}."business_calendar" ("storefront_id" uuid primary key, "calendar" jsonb not null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1)`);
    this.addSql(`create table ${s}."sla_policy" ("id" uuid primary key, "storefront_id" uuid not null, "name" varchar(120) not null,
      "priority" text null check ("priority" in (${PRIORITIES})), "category" text null check ("category" in (${CATEGORIES})),
      "segment" varchar(60) null, "response_minutes" int not null check ("response_minutes" between 1 and 525600),
      "resolution_minutes" int not null check ("resolution_minutes" between 1 and 525600), "active" boolean not null default true,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1)`);
    // One policy per combination of criteria in a storefront (an absent criterion is a wildcard).
    this.addSql(`create unique index "sla_policy_criteria_uniq" on ${s}."sla_policy"
      ("storefront_id", coalesce("priority", '*'), coalesce("category", '*'), coalesce("segment", '*'))`);
    this.addSql(`create table ${s}."ticket_sla" ("ticket_id" uuid primary key references ${s}."ticket" ("id") on delete cascade
      deferrable initially deferred, "storefront_id" uuid not null, "policy_id" uuid null, "policy_name" varchar(120) not null,
      "response_minutes" int not null, "resolution_minutes" int not null, "calendar" jsonb not null,
      "pauses" jsonb not null default '[]', "paused" boolean not null default false,
      "response_due_at" timestamptz null, "resolution_due_at" timestamptz null,
      "response_breached" boolean not null default false, "resolution_breached" boolean not null default false,
      "escalation_level" int not null default 0, "escalated_at" timestamptz null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null)`);
    // The sweep's safety net: open clocks not yet breached whose due time has passed.
    this.addSql(`create index "ticket_sla_due_idx" on ${s}."ticket_sla" ("resolution_due_at") where not "resolution_breached"`);
    // Open-ticket counts per agent (load for round robin) and the team's last assignee.
    this.addSql(
      `create index "ticket_assignee_open_idx" on ${s}."ticket" ("assignee_staff_id") where "status" in ('ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING', 'HELD')`,
    );
    this.addSql(`create index "ticket_team_created_idx" on ${s}."ticket" ("team_id", "created_at") where "assignee_staff_id" is not null`);
  }
}
