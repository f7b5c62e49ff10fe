import { Migration } from '@dcrm/kit';

/** The brand's calendar time zone (spend budgets turn over at its local midnight); UTC until staff set one. */
export class Migration202612021003StorefrontTimeZone extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "catalog"."storefront" add column "time_zone" text not null default 'UTC'`);
  }
}
