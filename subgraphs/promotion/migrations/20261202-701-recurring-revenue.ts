import { Migration } from '@dcrm/kit';

/** A converted offer keeps its order's monthly charge too, so campaign revenue counts plan sales. */
export class Migration20261202701RecurringRevenue extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "promotion"."offer" add column if not exists "revenue_recurring" numeric(12,2) null`);
  }
}
