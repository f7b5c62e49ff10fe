import { Migration, translationTableSql } from '@dcrm/kit';

/** Promotion names and descriptions per locale (kit `translations.ts`); messages already keep one template per locale. */
export class Migration202612021101Translations extends Migration {
  override async up(): Promise<void> {
    for (const sql of translationTableSql('promotion')) this.addSql(sql);
  }
}
