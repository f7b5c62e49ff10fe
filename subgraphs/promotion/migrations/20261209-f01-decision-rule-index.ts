import { Migration } from '@dcrm/kit';

/**
 * The decision table loses its (rule_id, decided_at) index: no query reads decisions by rule alone. The
 * staff list filtered by rule and the KPIs by rule are both within a brand and a time range, which
 * `decision_list_idx` serves; the rule index only cost an entry per ACTION decision recorded.
 */
export class Migration20261209F01DecisionRuleIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists "promotion"."decision_rule_idx"`);
  }
}
