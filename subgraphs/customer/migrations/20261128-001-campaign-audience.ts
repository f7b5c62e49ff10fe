import { Migration } from '@dcrm/kit';

/** Campaign audiences: keyset pages of a storefront's accounts by id; idempotent inbox messages (a job retried sends once). */
export class Migration20261128001CampaignAudience extends Migration {
  override async up(): Promise<void> {
    const s = '"customer"';
    this.addSql(`create index "customer_storefront_id_idx" on ${s}."customer" ("storefront_id", "id") where "status" = 'ACTIVE'`);
    this.addSql(`alter table ${s}."site_message" add column "dedupe_key" varchar(200) null`);
    this.addSql(`create unique index "site_message_dedupe_uq" on ${s}."site_message" ("dedupe_key") where "dedupe_key" is not null`);
  }
}
