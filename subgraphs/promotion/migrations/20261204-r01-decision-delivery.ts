import { Migration } from '@dcrm/kit';

/**
 * A decision's action is part of its recorded state: `delivered_at` is set once its offer is written and
 * its notification handed to the notification service. An ACTION decision still without it (its process
 * died between recording and sending, or the send failed) is delivered by the `decision-deliver` job.
 * Decisions recorded before count as delivered.
 */
export class Migration20261204R01DecisionDelivery extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "promotion"."decision" add column "delivered_at" timestamptz null`);
    this.addSql(`update "promotion"."decision" set "delivered_at" = "decided_at" where "outcome" = 'ACTION'`);
    this.addSql(
      `create index "decision_undelivered_idx" on "promotion"."decision" ("decided_at") where "outcome" = 'ACTION' and "delivered_at" is null`,
    );
  }
}
