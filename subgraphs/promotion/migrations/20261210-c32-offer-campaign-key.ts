import { Migration, statementForeignKeySql } from '@dcrm/kit';

/**
 * An offer's campaign is checked once per statement (kit `statementForeignKeySql`) instead of by
 * PostgreSQL's per-row foreign key: a campaign chunk's 5,000 offers ran 5,000 `for key share` lookups of
 * the one campaign row (~3.5 µs of PostgreSQL CPU per offer alone, more while other chunks hold and
 * update that row). The guarantee is the same: no offer references a missing campaign, and a campaign
 * with offers cannot be deleted; the constraint's name stays in the error.
 */
export class Migration20261210C32OfferCampaignKey extends Migration {
  override async up(): Promise<void> {
    for (const sql of statementForeignKeySql({
      schema: 'promotion',
      name: 'offer_campaign_id_fkey',
      child: 'offer',
      column: 'campaign_id',
      parent: 'campaign',
    }))
      this.addSql(sql);
  }
}
