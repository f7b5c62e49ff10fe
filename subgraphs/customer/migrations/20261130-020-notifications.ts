import { Migration, newId } from '@dcrm/kit';

const s = '"customer"';

/** Default templates (every brand, until a brand saves its own): cart reminders, campaign offers, password reset. */
const DEFAULTS: [key: string, channel: string, subject: string | null, body: string, variables: string[]][] = [
  ['cart.reminder', 'SITE_MESSAGE', 'Your cart is waiting', 'Pick up where you left off: {{url}}', ['name', 'url']],
  ['cart.reminder', 'EMAIL', 'Your cart is waiting', 'Hi {{name}}, pick up where you left off: {{url}}', ['name', 'url']],
  ['cart.reminder', 'SMS', null, 'Your cart is waiting: {{url}}', ['name', 'url']],
  ['cart.browseReminder', 'SITE_MESSAGE', 'Still thinking it over?', 'Have another look at what you viewed: {{url}}', ['name', 'url']],
  [
    'cart.browseReminder',
    'EMAIL',
    'Still thinking it over?',
    'Hi {{name}}, have another look at what you viewed: {{url}}',
    ['name', 'url'],
  ],
  ['cart.browseReminder', 'SMS', null, 'Still thinking it over? {{url}}', ['name', 'url']],
  ['campaign.offer', 'SITE_MESSAGE', '{{title}}', '{{message}}{{#if link}}\n{{link}}{{/if}}', ['name', 'title', 'message', 'link']],
  ['campaign.offer', 'EMAIL', '{{title}}', '{{message}}{{#if link}}\n{{link}}{{/if}}', ['name', 'title', 'message', 'link']],
  [
    'customer.passwordReset',
    'EMAIL',
    'Reset your password',
    'Hi {{name}}, use this code to set a new password within {{minutes}} minutes: {{token}}\nIf you did not ask for it, ignore this message.',
    ['name', 'token', 'minutes'],
  ],
];

const literal = (value: string | null) => (value === null ? 'null' : `'${value.replaceAll("'", "''")}'`);

/**
 * Notifications: templates per brand (null: the default of every brand), key, channel and locale; the
 * history of every message sent; the default channel adapter's outbox; one-time password reset tokens.
 */
export class Migration20261130020Notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table ${s}."notification_template" ("id" uuid primary key, "storefront_id" uuid null, "key" text not null,
      "channel" text not null, "locale" text not null, "subject" text null, "body" text not null, "variables" text[] not null default '{}',
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1,
      constraint "notification_template_unique" unique nulls not distinct ("storefront_id", "key", "channel", "locale"))`);
    this.addSql(`create table ${s}."notification_sent" ("id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid null,
      "template_key" text not null, "channel" text not null, "locale" text not null, "recipient" text null, "subject" text null,
      "body" text not null, "status" text not null, "error" text null, "marketing" boolean not null default false,
      "resendable" boolean not null default true, "dedupe_key" text null unique, "resend_of" uuid null references ${s}."notification_sent" ("id"),
      "created_at" timestamptz not null)`);
    this.addSql(`create index "notification_sent_brand_idx" on ${s}."notification_sent" ("storefront_id", "id")`);
    this.addSql(`create index "notification_sent_customer_idx" on ${s}."notification_sent" ("customer_id", "id")`);
    this.addSql(`create table ${s}."notification_outbox" ("id" uuid primary key, "sent_id" uuid not null, "storefront_id" uuid not null,
      "channel" text not null, "recipient" text not null, "subject" text null, "body" text not null, "created_at" timestamptz not null)`);
    this.addSql(`create index "notification_outbox_sent_idx" on ${s}."notification_outbox" ("sent_id")`);
    this.addSql(`create table ${s}."password_reset_token" ("id" uuid primary key, "customer_id" uuid not null references ${s}."customer" ("id"),
      "hash" text not null unique, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null)`);
    this.addSql(`create index "password_reset_token_customer_idx" on ${s}."password_reset_token" ("customer_id")`);
    for (const [key, channel, subject, body, variables] of DEFAULTS) {
      this.addSql(`insert into ${s}."notification_template" ("id", "storefront_id", "key", "channel", "locale", "subject", "body", "variables", "created_at", "updated_at")
        values ('${newId()}', null, ${literal(key)}, ${literal(channel)}, 'en', ${literal(subject)}, ${literal(body)},
        array[${variables.map(literal).join(', ')}]::text[], now(), now()) on conflict do nothing`);
    }
  }
}
