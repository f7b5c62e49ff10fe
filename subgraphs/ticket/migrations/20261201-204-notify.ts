import { Migration, notifyOutboxSql } from '@dcrm/kit';

/** What tickets tell their customer (status changes, agents' public comments): written with the change, sent after commit. */
export class Migration20261201204Notify extends Migration {
  override async up(): Promise<void> {
    // The account a comment is on, so a rule can address it without reading the ticket.
    this.addSql(`alter table "ticket"."ticket_comment" add column "customer_id" uuid null`);
    for (const sql of notifyOutboxSql('ticket')) this.addSql(sql);
  }
}
