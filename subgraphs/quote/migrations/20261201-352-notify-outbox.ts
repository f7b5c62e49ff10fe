import { Migration, notifyOutboxSql } from '@dcrm/kit';

/** The outbox of kit's notify-on-change (contract renewal offers tell the customer). */
export class Migration20261201352NotifyOutbox extends Migration {
  override async up(): Promise<void> {
    for (const sql of notifyOutboxSql('quote')) this.addSql(sql);
  }
}
