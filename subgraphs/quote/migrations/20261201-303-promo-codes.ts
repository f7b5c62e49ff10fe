import { Migration } from '@dcrm/kit';

/** The promotion codes a quote is priced with. */
export class Migration20261201303PromoCodes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "quote"."quote" add column "promo_codes" jsonb not null default '[]'`);
  }
}
