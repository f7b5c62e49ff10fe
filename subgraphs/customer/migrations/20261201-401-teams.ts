import { Migration } from '@dcrm/kit';

const s = '"customer"';

/**
 * Teams of staff (a brand's, or shared by every brand when `storefront_id` is null) with their
 * members; names unique per brand. Staff can be recipients of notifications: the sent history
 * records the staff member (`staff_id`) instead of an account, and staff have an inbox of their own.
 */
export class Migration20261201401Teams extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table ${s}."team" ("id" uuid primary key, "storefront_id" uuid null, "name" text not null, "kind" text not null,
      "skills" text[] not null default '{}', "segments" text[] not null default '{}', "regions" text[] not null default '{}',
      "manager_id" uuid null references ${s}."staff" ("id"), "active" boolean not null default true,
      "created_at" timestamptz not null, "updated_at" timestamptz not null)`);
    this.addSql(`create unique index "team_brand_name_unique" on ${s}."team" (coalesce("storefront_id"::text, '*'), lower("name"))`);
    this.addSql(`create table ${s}."team_member" ("id" uuid primary key, "team_id" uuid not null references ${s}."team" ("id") on delete cascade,
      "staff_id" uuid not null references ${s}."staff" ("id"), "created_at" timestamptz not null,
      constraint "team_member_unique" unique ("team_id", "staff_id"))`);
    this.addSql(`create index "team_member_staff_idx" on ${s}."team_member" ("staff_id")`);
    this.addSql(`alter table ${s}."notification_sent" add column "staff_id" uuid null references ${s}."staff" ("id")`);
    this.addSql(`create index "notification_sent_staff_idx" on ${s}."notification_sent" ("staff_id", "id") where "staff_id" is not null`);
    this.addSql(`create table ${s}."staff_message" ("id" uuid primary key, "staff_id" uuid not null references ${s}."staff" ("id"),
      "storefront_id" uuid not null, "title" text not null, "body" text not null, "created_at" timestamptz not null,
      "read_at" timestamptz null, "dedupe_key" text null unique)`);
    this.addSql(`create index "staff_message_staff_idx" on ${s}."staff_message" ("staff_id", "id")`);
  }
}
