import { auditTableSql, Migration } from '@dcrm/kit';

/** The audit trail of this subgraph's entities (kit audit-record.ts): written with every change, read newest first. */
export class Migration20261201302Audit extends Migration {
  override async up(): Promise<void> {
    for (const sql of auditTableSql('quote')) this.addSql(sql);
  }
}
