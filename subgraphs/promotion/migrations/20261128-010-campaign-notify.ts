import { Migration } from '@dcrm/kit';

/**
 * Campaign notifications counted once: `notified_at` marks an offer whose inbox message went out, so
 * a retried notification job neither double-counts nor re-sends. The sweep finds due campaigns by index.
 */
export class Migration20261128010CampaignNotify extends Migration {
  override async up(): Promise<void> {
    const s = '"promotion"';
    this.addSql(`alter table ${s}."offer" add column "notified_at" timestamptz null`);
    this.addSql(
      `create index "campaign_due_idx" on ${s}."campaign" ("status", "starts_at", "ends_at") where "status" in ('SCHEDULED', 'RUNNING')`,
    );
    this.addSql(`create index "offer_customer_campaign_idx" on ${s}."offer" ("customer_id", "created_at") where "campaign_id" is not null`);
  }
}
