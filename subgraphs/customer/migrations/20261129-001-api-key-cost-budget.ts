import { Migration } from '@dcrm/kit';

/** A query cost bucket of its own per API key (both numbers or neither; null: the router's defaults). */
export class Migration20261129001ApiKeyCostBudget extends Migration {
  override async up(): Promise<void> {
    const t = '"customer"."api_key"';
    this.addSql(`alter table ${t} add column "cost_bucket_size" int null, add column "cost_restore_rate" int null`);
    this.addSql(
      `alter table ${t} add constraint "api_key_cost_budget_check" check (("cost_bucket_size" is null) = ("cost_restore_rate" is null) and coalesce("cost_bucket_size", 1) > 0 and coalesce("cost_restore_rate", 1) > 0)`,
    );
  }
}
