import { Migration } from '@dcrm/kit';

/** NPS read back: a storefront's surveys newest first, and one survey's responses over time. */
export class Migration20261130060NpsReadback extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index "nps_survey_storefront_idx" on "customer"."nps_survey" ("storefront_id", "created_at")');
    this.addSql('create index "nps_response_survey_idx" on "customer"."nps_response" ("survey_id", "responded_at")');
  }
}
