import { Migration } from '@dcrm/kit';

/** A revised quote is kept, read-only, as SUPERSEDED; revisions of a number are looked up together. */
export class Migration20261201372Revisions extends Migration {
  override async up(): Promise<void> {
    const s = '"quote"';
    this.addSql(`alter table ${s}."quote" drop constraint "quote_status_check"`);
    this.addSql(`alter table ${s}."quote" add constraint "quote_status_check"
      check ("status" in ('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED', 'ACCEPTED', 'CANCELLED', 'SUPERSEDED'))`);
  }
}
