import { Migration } from '@dcrm/kit';

/**
 * Bulk rows keep the records validation matched them to (kit `BulkLink`: e.g. the existing account an
 * imported lead is linked to), reported with the row as `BulkOperationRow.links`.
 */
export class Migration20261202201BulkRowLinks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "customer"."bulk_operation_row" add column "links" jsonb not null default '[]'`);
  }
}
