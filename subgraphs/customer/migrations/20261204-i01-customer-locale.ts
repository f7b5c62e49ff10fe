import { Migration } from '@dcrm/kit';

/** The customer's language (BCP 47) notifications are written in; null: the default templates' language. */
export class Migration20261204I01CustomerLocale extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "customer"."customer" add column "locale" varchar(35) null');
  }
}
