import { Migration } from '@dcrm/kit';

// Tables as MikroORM generates them from src/entities, plus what entities cannot say:
// case-insensitive unique email and unique mobile per storefront, score range, listing indexes.
export class Migration20261123001Customer extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "customer"."access_group" ("id" uuid not null, "name" varchar(255) not null, "scopes" text[] not null, primary key ("id"));',
    );
    this.addSql('alter table "customer"."access_group" add constraint "access_group_name_unique" unique ("name");');
    this.addSql(
      'create table "customer"."api_key" ("id" uuid not null, "kind" text not null, "storefront_id" uuid not null, "partner_id" uuid null, "name" varchar(255) not null, "prefix" varchar(255) not null, "hash" varchar(255) not null, "scopes" text[] not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("id"));',
    );
    this.addSql('alter table "customer"."api_key" add constraint "api_key_hash_unique" unique ("hash");');
    this.addSql('alter table "customer"."api_key" add constraint "api_key_kind_check" check ("kind" in (\'PUBLIC\', \'PRIVATE\'));');
    this.addSql(
      'create table "customer"."nps_survey" ("id" uuid not null, "storefront_id" uuid not null, "name" varchar(255) not null, "question" varchar(255) not null, "active" boolean not null default true, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      'create table "customer"."partner" ("id" uuid not null, "storefront_id" uuid not null, "name" varchar(255) not null, "code" varchar(255) not null, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql('alter table "customer"."partner" add constraint "partner_code_unique" unique ("code");');
    this.addSql(
      'create table "customer"."customer" ("id" uuid not null, "storefront_id" uuid not null, "type" text not null, "name" varchar(255) not null, "email" varchar(255) not null, "mobile" varchar(255) null, "password_hash" varchar(255) null, "status" text not null default \'ACTIVE\', "category" varchar(255) not null, "segment" varchar(255) not null, "lifecycle_stage" text not null default \'ONBOARDING\', "partner_id" uuid null, "parent_id" uuid null, "consents" jsonb not null, "notification_preferences" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));',
    );
    this.addSql('alter table "customer"."customer" add constraint "customer_type_check" check ("type" in (\'INDIVIDUAL\', \'BUSINESS\'));');
    this.addSql(
      'alter table "customer"."customer" add constraint "customer_status_check" check ("status" in (\'ACTIVE\', \'SUSPENDED\', \'CLOSED\'));',
    );
    this.addSql(
      "alter table \"customer\".\"customer\" add constraint \"customer_lifecycle_stage_check\" check (\"lifecycle_stage\" in ('PROSPECT', 'ONBOARDING', 'ACTIVE', 'AT_RISK', 'CHURNED'));",
    );
    this.addSql(
      'create table "customer"."nps_response" ("id" uuid not null, "survey_id" uuid null, "storefront_id" uuid not null, "customer_id" uuid not null, "segment" varchar(255) not null, "score" int not null, "comment" text null, "channel" text not null, "context_type" varchar(255) null, "context_id" varchar(255) null, "responded_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql(
      "alter table \"customer\".\"nps_response\" add constraint \"nps_response_channel_check\" check (\"channel\" in ('EMAIL', 'SMS', 'PHONE', 'IVR', 'CHAT', 'WEB', 'STORE', 'CHATBOT'));",
    );
    this.addSql(
      'create table "customer"."contact" ("id" uuid not null, "customer_id" uuid not null, "name" varchar(255) not null, "email" varchar(255) null, "phone" varchar(255) null, "role" varchar(255) null, "is_primary" boolean not null default false, primary key ("id"));',
    );
    this.addSql(
      'create table "customer"."address" ("id" uuid not null, "customer_id" uuid not null, "type" text not null, "line1" varchar(255) not null, "line2" varchar(255) null, "city" varchar(255) not null, "postcode" varchar(255) not null, "country" varchar(2) not null, "is_default" boolean not null default false, primary key ("id"));',
    );
    this.addSql(
      'alter table "customer"."address" add constraint "address_type_check" check ("type" in (\'BILLING\', \'SERVICE\', \'SHIPPING\'));',
    );
    this.addSql(
      'create table "customer"."partner_user" ("id" uuid not null, "partner_id" uuid not null, "email" varchar(255) not null, "name" varchar(255) not null, "password_hash" varchar(255) not null, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql('alter table "customer"."partner_user" add constraint "partner_user_email_unique" unique ("email");');
    this.addSql(
      'create table "customer"."refresh_token" ("id" uuid not null, "family_id" uuid not null, "subject_kind" text not null, "subject_id" uuid not null, "hash" varchar(255) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql('alter table "customer"."refresh_token" add constraint "refresh_token_hash_unique" unique ("hash");');
    this.addSql(
      'alter table "customer"."refresh_token" add constraint "refresh_token_subject_kind_check" check ("subject_kind" in (\'customer\', \'staff\', \'partner\'));',
    );
    this.addSql(
      'create table "customer"."site_message" ("id" uuid not null, "customer_id" uuid not null, "title" varchar(255) not null, "body" text not null, "created_at" timestamptz not null, "read_at" timestamptz null, primary key ("id"));',
    );
    this.addSql(
      'create table "customer"."staff" ("id" uuid not null, "storefront_id" uuid not null, "email" varchar(255) not null, "name" varchar(255) not null, "password_hash" varchar(255) not null, "password_changed_at" timestamptz not null, "manager_id" uuid null, "segments" text[] not null, "active" boolean not null default true, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql('alter table "customer"."staff" add constraint "staff_email_unique" unique ("email");');
    this.addSql(
      'create table "customer"."interaction" ("id" uuid not null, "customer_id" uuid not null, "channel" text not null, "direction" text not null, "occurred_at" timestamptz not null, "notes" text not null, "staff_id" uuid null, primary key ("id"));',
    );
    this.addSql(
      "alter table \"customer\".\"interaction\" add constraint \"interaction_channel_check\" check (\"channel\" in ('EMAIL', 'SMS', 'PHONE', 'IVR', 'CHAT', 'WEB', 'STORE', 'CHATBOT'));",
    );
    this.addSql(
      'alter table "customer"."interaction" add constraint "interaction_direction_check" check ("direction" in (\'INBOUND\', \'OUTBOUND\'));',
    );
    this.addSql(
      'create table "customer"."staff_access_group" ("staff_id" uuid not null, "access_group_id" uuid not null, primary key ("staff_id", "access_group_id"));',
    );
    this.addSql(
      'alter table "customer"."customer" add constraint "customer_partner_id_foreign" foreign key ("partner_id") references "customer"."partner" ("id") on delete set null;',
    );
    this.addSql(
      'alter table "customer"."customer" add constraint "customer_parent_id_foreign" foreign key ("parent_id") references "customer"."customer" ("id") on delete set null;',
    );
    this.addSql(
      'alter table "customer"."nps_response" add constraint "nps_response_survey_id_foreign" foreign key ("survey_id") references "customer"."nps_survey" ("id") on delete set null;',
    );
    this.addSql(
      'alter table "customer"."nps_response" add constraint "nps_response_customer_id_foreign" foreign key ("customer_id") references "customer"."customer" ("id");',
    );
    this.addSql(
      'alter table "customer"."contact" add constraint "contact_customer_id_foreign" foreign key ("customer_id") references "customer"."customer" ("id");',
    );
    this.addSql(
      'alter table "customer"."address" add constraint "address_customer_id_foreign" foreign key ("customer_id") references "customer"."customer" ("id");',
    );
    this.addSql(
      'alter table "customer"."partner_user" add constraint "partner_user_partner_id_foreign" foreign key ("partner_id") references "customer"."partner" ("id");',
    );
    this.addSql(
      'alter table "customer"."site_message" add constraint "site_message_customer_id_foreign" foreign key ("customer_id") references "customer"."customer" ("id");',
    );
    this.addSql(
      'alter table "customer"."staff" add constraint "staff_manager_id_foreign" foreign key ("manager_id") references "customer"."staff" ("id") on delete set null;',
    );
    this.addSql(
      'alter table "customer"."interaction" add constraint "interaction_customer_id_foreign" foreign key ("customer_id") references "customer"."customer" ("id");',
    );
    this.addSql(
      'alter table "customer"."interaction" add constraint "interaction_staff_id_foreign" foreign key ("staff_id") references "customer"."staff" ("id") on delete set null;',
    );
    this.addSql(
      'alter table "customer"."staff_access_group" add constraint "staff_access_group_staff_id_foreign" foreign key ("staff_id") references "customer"."staff" ("id") on update cascade on delete cascade;',
    );
    this.addSql(
      'alter table "customer"."staff_access_group" add constraint "staff_access_group_access_group_id_foreign" foreign key ("access_group_id") references "customer"."access_group" ("id") on update cascade on delete cascade;',
    );
    this.addSql('create unique index "customer_storefront_email_unique" on "customer"."customer" ("storefront_id", lower("email"))');
    this.addSql(
      'create unique index "customer_storefront_mobile_unique" on "customer"."customer" ("storefront_id", "mobile") where "mobile" is not null',
    );
    this.addSql('create index "customer_partner_idx" on "customer"."customer" ("partner_id")');
    this.addSql('create index "customer_parent_idx" on "customer"."customer" ("parent_id")');
    this.addSql('create index "customer_segment_idx" on "customer"."customer" ("storefront_id", "segment", "id")');
    this.addSql('alter table "customer"."nps_response" add constraint "nps_response_score_check" check ("score" between 0 and 10)');
    this.addSql('create index "nps_response_storefront_idx" on "customer"."nps_response" ("storefront_id", "responded_at")');
    this.addSql('create index "interaction_customer_idx" on "customer"."interaction" ("customer_id", "id" desc)');
    this.addSql('create index "site_message_customer_idx" on "customer"."site_message" ("customer_id", "id" desc)');
    this.addSql('create index "contact_customer_idx" on "customer"."contact" ("customer_id")');
    this.addSql('create index "address_customer_idx" on "customer"."address" ("customer_id")');
    this.addSql('create index "refresh_token_family_idx" on "customer"."refresh_token" ("family_id")');
    this.addSql('create index "api_key_storefront_idx" on "customer"."api_key" ("storefront_id", "partner_id")');
  }
}
