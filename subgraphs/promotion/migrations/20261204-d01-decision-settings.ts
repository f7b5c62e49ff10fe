import { Migration } from '@dcrm/kit';

/**
 * A brand's decisioning settings: a global daily budget of actions across all its rules (null: none),
 * and how many offers a channel must have sent before its response rate ranks it.
 */
export class Migration20261204D01DecisionSettings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "promotion"."decision_settings" ("storefront_id" uuid primary key, "daily_action_cap" int null,
      "channel_min_sample" int not null default 20, "updated_at" timestamptz not null, "version" int not null default 1)`);
  }
}
