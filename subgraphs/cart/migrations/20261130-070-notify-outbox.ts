import { Migration, notifyOutboxSql } from '@dcrm/kit';

/** The notifications cart's changes ask for (kit notify-on-change.ts), written with the change, sent after commit. */
export class Migration20261130070NotifyOutbox extends Migration {
  override async up(): Promise<void> {
    for (const sql of notifyOutboxSql('cart')) this.addSql(sql);
  }
}
