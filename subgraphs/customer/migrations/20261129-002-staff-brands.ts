import { Migration } from '@dcrm/kit';

/** Staff brand grants: the storefronts a member may act on (`*` = every brand, granted explicitly); each starts with its own. */
export class Migration20261129002StaffBrands extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "customer"."staff" add column "storefronts" text[] not null default '{}'`);
    this.addSql(`update "customer"."staff" set "storefronts" = array["storefront_id"::text]`);
    this.addSql(`alter table "customer"."staff" add constraint "staff_storefronts_not_empty" check (cardinality("storefronts") > 0)`);
  }
}
