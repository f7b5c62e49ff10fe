import { eventOutboxSql, Migration } from '@dcrm/kit';

const STATUSES = `'ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING', 'HELD', 'RESOLVED', 'CLOSED', 'CANCELLED', 'REJECTED'`;
const ACTORS = `'CUSTOMER', 'STAFF', 'PARTNER', 'API_KEY', 'SYSTEM'`;

/**
 * A ticket's status history, comments (public and internal), attachments (content in PostgreSQL) and event
 * outbox. The references to the ticket are checked at commit: one flush writes a ticket with its first rows.
 */
export class Migration20261201203TicketCore extends Migration {
  override async up(): Promise<void> {
    const s = '"ticket"';
    this.addSql(`create table ${s}."ticket_status_history" ("id" uuid primary key,
      "ticket_id" uuid not null references ${s}."ticket" ("id") on delete cascade deferrable initially deferred, "storefront_id" uuid not null,
      "from_status" text null check ("from_status" in (${STATUSES})), "to_status" text not null check ("to_status" in (${STATUSES})),
      "actor_kind" text not null check ("actor_kind" in (${ACTORS})), "actor_id" varchar(100) null, "reason" varchar(1000) null,
      "at" timestamptz not null)`);
    this.addSql(`create index "ticket_status_history_ticket_idx" on ${s}."ticket_status_history" ("ticket_id", "at", "id")`);
    this.addSql(`create table ${s}."ticket_comment" ("id" uuid primary key,
      "ticket_id" uuid not null references ${s}."ticket" ("id") on delete cascade deferrable initially deferred, "storefront_id" uuid not null,
      "internal" boolean not null default false, "author_kind" text not null check ("author_kind" in (${ACTORS})),
      "author_id" varchar(100) null, "body" text not null check (length("body") between 1 and 10000), "created_at" timestamptz not null)`);
    this.addSql(`create index "ticket_comment_ticket_idx" on ${s}."ticket_comment" ("ticket_id", "internal", "created_at", "id")`);
    this.addSql(`create table ${s}."ticket_attachment" ("id" uuid primary key,
      "ticket_id" uuid not null references ${s}."ticket" ("id") on delete cascade deferrable initially deferred, "storefront_id" uuid not null,
      "internal" boolean not null default false, "file_name" varchar(255) not null, "content_type" varchar(255) not null,
      "size_bytes" int not null check ("size_bytes" between 0 and 10485760), "sha256" char(64) not null, "content" bytea not null,
      "uploaded_by_kind" text not null check ("uploaded_by_kind" in (${ACTORS})), "uploaded_by_id" varchar(100) null,
      "created_at" timestamptz not null)`);
    this.addSql(`create index "ticket_attachment_ticket_idx" on ${s}."ticket_attachment" ("ticket_id", "created_at")`);
    for (const sql of eventOutboxSql('ticket')) this.addSql(sql);
  }
}
