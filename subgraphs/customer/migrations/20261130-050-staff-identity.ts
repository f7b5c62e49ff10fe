import { Migration } from '@dcrm/kit';

/** Staff single sign-on: each staff member's accounts at OpenID Connect providers, one per (issuer, subject). */
export class Migration20261130050StaffIdentity extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "customer"."staff_identity" ("id" uuid not null, "staff_id" uuid not null, "issuer" varchar(500) not null, "subject" varchar(255) not null, "email" varchar(255) not null, "last_sign_in_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'alter table "customer"."staff_identity" add constraint "staff_identity_issuer_subject_unique" unique ("issuer", "subject");',
    );
    this.addSql('create index "staff_identity_staff_id_index" on "customer"."staff_identity" ("staff_id");');
    this.addSql(
      'alter table "customer"."staff_identity" add constraint "staff_identity_staff_id_foreign" foreign key ("staff_id") references "customer"."staff" ("id") on update cascade on delete cascade;',
    );
  }
}
