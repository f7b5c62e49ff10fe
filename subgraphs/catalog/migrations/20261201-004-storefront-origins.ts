import { Migration } from '@dcrm/kit';

/** The browser origins a storefront's web apps run on (CORS); none until its staff list them. */
export class Migration20261201004StorefrontOrigins extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "catalog"."storefront" add column "allowed_origins" text[] not null default '{}'`);
  }
}
