import { Migration } from '@dcrm/kit';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const CATEGORIES = ['BILLING', 'TECHNICAL', 'NETWORK', 'ORDER', 'DEVICE', 'ACCOUNT', 'COMPLAINT', 'OTHER'];
const STATUSES = ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED'];

/**
 * The knowledge base: solution articles per storefront, category and locale, full-text searchable
 * (a generated tsvector in the article's own text-search configuration, GIN-indexed), their status
 * history, deflections (the customer found the answer and raised no ticket) and ticket links.
 */
export class Migration20261201251KnowledgeBase extends Migration {
  override async up(): Promise<void> {
    const s = '"ticket"';
    // array_to_string is only STABLE; over text[] it cannot change, and a generated column needs IMMUTABLE.
    this.addSql(`create or replace function ${s}."article_tags_text"(text[]) returns text
      language sql immutable parallel safe as $$ select coalesce(array_to_string($1, ' '), '') $$`);
    this.addSql(`create table ${s}."article" ("id" uuid primary key, "storefront_id" uuid not null,
      "category" text not null check ("category" in (${list(CATEGORIES)})),
      "locale" varchar(35) not null, "search_config" regconfig not null default 'simple',
      "title" varchar(200) not null, "body" text not null,
      "body_format" text not null default 'MARKDOWN' check ("body_format" in ('MARKDOWN', 'PLAIN')),
      "tags" text[] not null default '{}',
      "status" text not null default 'DRAFT' check ("status" in (${list(STATUSES)})),
      "author_staff_id" uuid null, "reviewer_staff_id" uuid null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "published_at" timestamptz null,
      "version" int not null default 1,
      "search" tsvector generated always as (
        setweight(to_tsvector("search_config", "title"), 'A') ||
        setweight(to_tsvector("search_config", ${s}."article_tags_text"("tags")), 'B') ||
        setweight(to_tsvector("search_config", "body"), 'C')) stored)`);
    this.addSql(`create index "article_search_idx" on ${s}."article" using gin ("search")`);
    // Staff lists (newest change first) and the published articles customers read.
    this.addSql(`create index "article_storefront_idx" on ${s}."article" ("storefront_id", "updated_at" desc, "id" desc)`);
    this.addSql(
      `create index "article_published_idx" on ${s}."article" ("storefront_id", "locale", "category") where "status" = 'PUBLISHED'`,
    );
    // Foreign keys are checked at commit: one flush writes an article and its first history entry in any order.
    this.addSql(`create table ${s}."article_status_change" ("id" uuid primary key,
      "article_id" uuid not null references ${s}."article" ("id") on delete cascade deferrable initially deferred,
      "from_status" text null, "to_status" text not null, "actor_staff_id" uuid null, "reason" varchar(500) null,
      "at" timestamptz not null)`);
    this.addSql(`create index "article_status_change_article_idx" on ${s}."article_status_change" ("article_id", "at")`);
    this.addSql(`create table ${s}."article_deflection" ("id" uuid primary key,
      "article_id" uuid not null references ${s}."article" ("id") on delete cascade deferrable initially deferred, "storefront_id" uuid not null,
      "customer_id" uuid null, "category" text null, "query" varchar(500) null, "created_at" timestamptz not null)`);
    this.addSql(`create index "article_deflection_article_idx" on ${s}."article_deflection" ("article_id", "customer_id", "created_at")`);
    this.addSql(`create table ${s}."ticket_article" ("id" uuid primary key,
      "ticket_id" uuid not null references ${s}."ticket" ("id") on delete cascade deferrable initially deferred,
      "article_id" uuid not null references ${s}."article" ("id") on delete cascade deferrable initially deferred, "storefront_id" uuid not null,
      "linked_by_staff_id" uuid null, "created_at" timestamptz not null, unique ("ticket_id", "article_id"))`);
    this.addSql(`create index "ticket_article_article_idx" on ${s}."ticket_article" ("article_id")`);
    // Dashboards: tickets resolved within a period (created within one uses ticket_storefront_idx).
    this.addSql(
      `create index "ticket_dashboard_resolved_idx" on ${s}."ticket" ("storefront_id", "resolved_at") where "resolved_at" is not null`,
    );
  }
}
