import { Migration } from '@dcrm/kit';

/**
 * Work on an opportunity: tasks and activities (approvals are tasks with a decision), notes (internal
 * or shared with the partner), sharing with staff and teams, the routing state of each opportunity
 * (team, last activity, escalation level) and the storefront's routing rules (assignment, approvals).
 */
export class Migration20261201190Tasks extends Migration {
  override async up(): Promise<void> {
    const s = '"opportunity"';
    const opportunity = `uuid not null references ${s}."opportunity" ("id") on delete cascade`;
    this.addSql(`create table ${s}."opportunity_task" ("id" uuid primary key, "opportunity_id" ${opportunity},
      "storefront_id" uuid not null,
      "kind" text not null check ("kind" in ('CALL', 'MEETING', 'SITE_SURVEY', 'CREDIT_CHECK', 'BUDGET_APPROVAL', 'MANAGER_APPROVAL', 'OTHER')),
      "title" varchar(200) not null, "assignee_staff_id" uuid null, "due_at" timestamptz null,
      "status" text not null default 'OPEN' check ("status" in ('OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
      "progress" int not null default 0 check ("progress" between 0 and 100), "notes" text null,
      "decision" text null check ("decision" in ('APPROVED', 'REJECTED')), "decision_comment" text null,
      "decided_by" uuid null, "decided_at" timestamptz null,
      "created_by" varchar(100) null, "created_at" timestamptz not null, "updated_at" timestamptz not null,
      "version" int not null default 1)`);
    this.addSql(`create index "opportunity_task_opportunity_idx" on ${s}."opportunity_task" ("opportunity_id", "created_at")`);
    this.addSql(`create index "opportunity_task_assignee_idx" on ${s}."opportunity_task" ("assignee_staff_id", "due_at")
      where "status" in ('OPEN', 'IN_PROGRESS')`);
    this.addSql(`create table ${s}."opportunity_note" ("id" uuid primary key, "opportunity_id" ${opportunity},
      "storefront_id" uuid not null, "body" text not null, "internal" boolean not null default true,
      "author_kind" varchar(16) not null, "author_id" varchar(100) null, "created_at" timestamptz not null)`);
    this.addSql(`create index "opportunity_note_opportunity_idx" on ${s}."opportunity_note" ("opportunity_id", "created_at")`);
    this.addSql(`create table ${s}."opportunity_share" ("id" uuid primary key, "opportunity_id" ${opportunity},
      "storefront_id" uuid not null, "staff_id" uuid not null, "team_id" uuid null, "can_write" boolean not null default false,
      "shared_by" varchar(100) null, "created_at" timestamptz not null)`);
    this.addSql(`create unique index "opportunity_share_uq" on ${s}."opportunity_share" ("opportunity_id", "staff_id")`);
    this.addSql(`create index "opportunity_share_staff_idx" on ${s}."opportunity_share" ("staff_id")`);
    this.addSql(`create table ${s}."opportunity_routing" ("opportunity_id" uuid primary key references ${s}."opportunity" ("id") on delete cascade,
      "storefront_id" uuid not null, "team_id" uuid null, "partner_queue_id" uuid null, "rule_id" varchar(100) null,
      "last_activity_at" timestamptz null, "escalation_level" int not null default 0, "escalated_at" timestamptz null,
      "escalated_to" uuid null, "idle_since" timestamptz null, "updated_at" timestamptz not null)`);
    this.addSql(`create table ${s}."routing_rule_set" ("id" uuid primary key, "storefront_id" uuid not null,
      "kind" text not null check ("kind" in ('ASSIGNMENT', 'APPROVAL')), "rules" jsonb not null default '[]',
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1)`);
    this.addSql(`create unique index "routing_rule_set_uq" on ${s}."routing_rule_set" ("storefront_id", "kind")`);
  }
}
