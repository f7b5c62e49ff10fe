import { Migration, translationTableSql } from '@dcrm/kit';

/** Product and category texts per locale (kit `translations.ts`); the stored name stays the default text. */
export class Migration202612021101Translations extends Migration {
  override async up(): Promise<void> {
    for (const sql of translationTableSql('catalog')) this.addSql(sql);
  }
}
