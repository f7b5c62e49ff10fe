import { appliedBatchTableSql, Migration } from '@dcrm/kit';

/**
 * Bulk operations (kit's framework, orchestrated here): an operation per upload, its rows with their
 * validation problems and results, the batches the job committed (with timings), and the batches this
 * subgraph's own actions applied (the idempotency record of `applyBatchOnce`).
 */
export class Migration20261130030BulkOperations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "customer"."bulk_operation" ("id" uuid not null, "storefront_id" uuid not null, "module" text not null, ` +
        `"action" text not null, "format" text not null, "status" text not null, "created_by" uuid null, "total" int not null, ` +
        `"valid" int not null, "invalid" int not null, "succeeded" int not null default 0, "failed" int not null default 0, ` +
        `"batch_size" int not null, "batch_count" int not null, "created_at" timestamptz not null, "confirmed_at" timestamptz null, ` +
        `"started_at" timestamptz null, "finished_at" timestamptz null, "updated_at" timestamptz not null, primary key ("id"), ` +
        `constraint "bulk_operation_status_check" check ("status" in ('VALIDATED', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')), ` +
        `constraint "bulk_operation_format_check" check ("format" in ('CSV', 'JSONL')))`,
    );
    this.addSql(`create index "bulk_operation_storefront_idx" on "customer"."bulk_operation" ("storefront_id", "id" desc)`);
    this.addSql(
      `create table "customer"."bulk_operation_row" ("operation_id" uuid not null references "customer"."bulk_operation" ("id") on delete cascade, ` +
        `"row" int not null, "batch" int null, "status" text not null, "data" jsonb not null, "value" jsonb null, ` +
        `"problems" jsonb not null default '[]', "result_id" text null, primary key ("operation_id", "row"), ` +
        `constraint "bulk_operation_row_status_check" check ("status" in ('INVALID', 'PENDING', 'SUCCEEDED', 'FAILED')))`,
    );
    this.addSql(`create index "bulk_operation_row_batch_idx" on "customer"."bulk_operation_row" ("operation_id", "batch")`);
    this.addSql(
      `create table "customer"."bulk_operation_batch" ("operation_id" uuid not null references "customer"."bulk_operation" ("id") on delete cascade, ` +
        `"batch" int not null, "rows" int not null, "succeeded" int not null, "failed" int not null, ` +
        `"started_at" timestamptz not null, "finished_at" timestamptz not null, primary key ("operation_id", "batch"))`,
    );
    this.addSql(appliedBatchTableSql('customer'));
  }
}
