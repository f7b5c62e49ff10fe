import { Migration } from '@dcrm/kit';

/**
 * Real-time event decisioning: custom event types staff declare (with a JSON Schema for their payload),
 * decision rules (conditions, action, priority and score, caps), and one decision per external event —
 * unique by brand, producer and the producer's event id, so an event delivered twice, or taken over
 * from a crashed consumer, is decided once.
 */
export class Migration20261202601Decisioning extends Migration {
  override async up(): Promise<void> {
    const s = '"promotion"';
    this.addSql(`create table ${s}."event_type" ("id" uuid primary key, "storefront_id" uuid not null, "name" varchar(50) not null,
      "description" varchar(500) null, "payload_schema" jsonb not null, "created_at" timestamptz not null, "version" int not null default 1,
      unique ("storefront_id", "name"))`);
    this.addSql(`create table ${s}."decision_rule" ("id" uuid primary key, "storefront_id" uuid not null, "name" varchar(200) not null,
      "event_type" varchar(50) not null, "conditions" jsonb not null default '[]', "action" jsonb not null,
      "channels" jsonb not null default '["LIVE","PUSH","SMS","EMAIL","INBOX"]',
      "priority" int not null default 0, "score" double precision not null default 50,
      "cooldown_minutes" int not null default 1440, "daily_cap" int not null default 3, "channel_daily_cap" int not null default 2,
      "budget" int null, "active" boolean not null default true, "created_at" timestamptz not null, "version" int not null default 1)`);
    this.addSql(`create index "decision_rule_type_idx" on ${s}."decision_rule" ("storefront_id", "event_type") where "active"`);
    this.addSql(`create table ${s}."decision" ("id" uuid primary key, "storefront_id" uuid not null, "producer" varchar(100) not null,
      "event_id" varchar(200) not null, "event_type" varchar(50) not null, "customer_id" uuid not null, "segment" varchar(100) not null,
      "partner_id" uuid null, "occurred_at" timestamptz not null, "outcome" text not null check ("outcome" in ('ACTION', 'NO_ACTION')),
      "rule_id" uuid null, "action_kind" text null, "channel" text null, "offer_id" uuid null, "reasons" jsonb not null default '[]',
      "decided_at" timestamptz not null, unique ("storefront_id", "producer", "event_id"))`);
    this.addSql(`create index "decision_list_idx" on ${s}."decision" ("storefront_id", "decided_at" desc, "id" desc)`);
    this.addSql(`create index "decision_rule_idx" on ${s}."decision" ("rule_id", "decided_at") where "rule_id" is not null`);
  }
}
