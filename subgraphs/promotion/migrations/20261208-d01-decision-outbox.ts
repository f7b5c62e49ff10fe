import { Migration } from '@dcrm/kit';

/**
 * A decision's pending action lives in a narrow outbox instead of a stamp on the decision row: the
 * recorder writes each ACTION decision's id there in the statement that records it, and the batch (or the
 * `decision-deliver` job) deletes it once carried out. Stamping `delivered_at` rewrote the wide decision
 * row (and its indexes) a second time per action; an insert and delete of two columns costs less. The
 * ACTION decisions still undelivered move to the outbox; the stamp and its index go.
 */
export class Migration20261208D01DecisionOutbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "promotion"."decision_outbox" ("id" uuid not null primary key, "decided_at" timestamptz not null)`);
    this.addSql(
      `insert into "promotion"."decision_outbox" ("id", "decided_at")
         select "id", "decided_at" from "promotion"."decision" where "outcome" = 'ACTION' and "delivered_at" is null`,
    );
    this.addSql(`drop index if exists "promotion"."decision_undelivered_idx"`);
    this.addSql(`alter table "promotion"."decision" drop column "delivered_at"`);
  }
}
