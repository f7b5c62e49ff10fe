import { Migration } from '@dcrm/kit';

/** Translated attribute labels are fields `label:<attribute key>` (keys up to 40 characters): room for them. */
export class Migration20261204I01TranslationFieldWidth extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "catalog"."translation" alter column "field" type varchar(80)');
  }
}
