import { Migration } from '@dcrm/kit';

/** API keys moved to the customer subgraph (public and private keys, managed by staff and partners). */
export class Migration20261124002DropStorefrontKey extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop table if exists "catalog"."storefront_key"');
  }
}
