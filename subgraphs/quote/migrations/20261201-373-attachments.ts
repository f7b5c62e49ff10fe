import { Migration } from '@dcrm/kit';

/** Files attached to a quote (shared by its revisions: keyed by storefront and number), content in PostgreSQL. */
export class Migration20261201373Attachments extends Migration {
  override async up(): Promise<void> {
    const s = '"quote"';
    this.addSql(`create table ${s}."quote_attachment" ("id" uuid primary key, "storefront_id" uuid not null,
      "quote_number" varchar(32) not null, "quote_id" uuid not null references ${s}."quote" ("id") on delete cascade,
      "file_name" varchar(255) not null, "content_type" varchar(255) not null, "size_bytes" int not null check ("size_bytes" >= 0),
      "sha256" varchar(64) not null, "content" bytea not null, "uploaded_by" varchar(100) null, "created_at" timestamptz not null)`);
    this.addSql(`create index "quote_attachment_number_idx" on ${s}."quote_attachment" ("storefront_id", "quote_number", "created_at")`);
  }
}
