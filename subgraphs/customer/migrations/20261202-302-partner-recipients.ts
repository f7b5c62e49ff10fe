import { Migration } from '@dcrm/kit';

/** A notification may be for a partner user (a quote a partner submitted is decided): recorded beside customer and staff ones. */
export class Migration20261202302PartnerRecipients extends Migration {
  override async up(): Promise<void> {
    const s = '"customer"';
    this.addSql(`alter table ${s}."notification_sent" add column "partner_user_id" uuid null references ${s}."partner_user" ("id")`);
    this.addSql(
      `create index "notification_sent_partner_user_idx" on ${s}."notification_sent" ("partner_user_id", "id") where "partner_user_id" is not null`,
    );
  }
}
