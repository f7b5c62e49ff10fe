import { Migration } from '@dcrm/kit';

/**
 * The brand's daily decisioning budget becomes money too: `daily_budget_minor` (minor units of the
 * brand's currency; null: no limit) beside the action count cap, which stays as it was. A rule's action
 * carries its cost in its JSON (`costMinor`, absent: 0), so existing rules spend nothing.
 */
export class Migration20261205E01DecisionBudgetMoney extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "promotion"."decision_settings" add column "daily_budget_minor" int null`);
  }
}
