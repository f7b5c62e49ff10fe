import { Migration, statementForeignKeySql } from '@dcrm/kit';

/**
 * An inbox message's customer is checked once per statement (kit `statementForeignKeySql`) instead of by
 * PostgreSQL's per-row foreign key, which locked every recipient's customer row `for key share` — a write
 * and a WAL record per message, ~6 µs of PostgreSQL CPU per message of a campaign chunk (more on a large
 * customer table). The guarantee is the same: no message references a missing customer, and a customer
 * with messages cannot be deleted; the constraint's name stays in the error.
 */
export class Migration20261210C31SiteMessageCustomerKey extends Migration {
  override async up(): Promise<void> {
    for (const sql of statementForeignKeySql({
      schema: 'customer',
      name: 'site_message_customer_id_foreign',
      child: 'site_message',
      column: 'customer_id',
      parent: 'customer',
    }))
      this.addSql(sql);
  }
}
