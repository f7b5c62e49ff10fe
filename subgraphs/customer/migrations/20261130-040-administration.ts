import { Migration } from '@dcrm/kit';

/**
 * Administration: access groups owned by a brand (null: shared by every brand, as every existing
 * group is), group names unique per brand, passwords that must be changed at the next sign-in, and
 * partner users who can be deactivated, must change a password set for them, or administer their
 * partner (every existing one does).
 * The bootstrap "Administrators" group gets the new administration scopes.
 */
export class Migration20261130040Administration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "customer"."access_group" add column "storefront_id" uuid null, add column "description" text null');
    this.addSql('alter table "customer"."access_group" drop constraint "access_group_name_unique"');
    this.addSql(
      `create unique index "access_group_brand_name_unique" on "customer"."access_group" (coalesce("storefront_id"::text, '*'), lower("name"))`,
    );
    this.addSql(
      `update "customer"."access_group" set "scopes" = array(select distinct unnest("scopes" || array['staff:manage', 'partner:manage']) order by 1)
       where "name" = 'Administrators' and "storefront_id" is null`,
    );
    this.addSql('alter table "customer"."staff" add column "must_change_password" boolean not null default false');
    this.addSql('create index "staff_manager_idx" on "customer"."staff" ("manager_id")');
    this.addSql('create index "staff_storefront_idx" on "customer"."staff" ("storefront_id", "id")');
    this.addSql('alter table "customer"."partner_user" add column "admin" boolean not null default false');
    this.addSql('alter table "customer"."partner_user" add column "active" boolean not null default true');
    this.addSql('alter table "customer"."partner_user" add column "must_change_password" boolean not null default false');
    this.addSql('update "customer"."partner_user" set "admin" = true');
    this.addSql('create index "refresh_token_subject_idx" on "customer"."refresh_token" ("subject_id", "subject_kind")');
  }
}
