import { appliedBatchTableSql, Migration } from '@dcrm/kit';

/** The batches of bulk operations this subgraph applied (kit `applyBatchOnce`): a resumed job never applies one twice. */
export class Migration20261130030BulkAppliedBatch extends Migration {
  override async up(): Promise<void> {
    this.addSql(appliedBatchTableSql('catalog'));
  }
}
