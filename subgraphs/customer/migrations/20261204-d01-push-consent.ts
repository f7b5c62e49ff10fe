import { Migration, newId } from '@dcrm/kit';

/**
 * PUSH joins the contact channels: a marketing consent and an offers preference (JSON), and so a channel
 * interactions and NPS answers may name. Offers (`campaign.offer`) get default PUSH and SMS templates,
 * so a decision that picks either channel has a text to send.
 */
export class Migration20261204D01PushConsent extends Migration {
  override async up(): Promise<void> {
    const channels = `('EMAIL', 'SMS', 'PHONE', 'IVR', 'CHAT', 'WEB', 'STORE', 'CHATBOT', 'PUSH')`;
    for (const table of ['interaction', 'nps_response']) {
      this.addSql(`alter table "customer"."${table}" drop constraint if exists "${table}_channel_check"`);
      this.addSql(`alter table "customer"."${table}" add constraint "${table}_channel_check" check ("channel" in ${channels})`);
    }
    const templates: [channel: string, subject: string | null, body: string][] = [
      ['PUSH', '{{title}}', '{{message}}'],
      ['SMS', null, '{{title}}: {{message}}{{#if link}} {{link}}{{/if}}'],
    ];
    const literal = (value: string | null) => (value === null ? 'null' : `'${value.replaceAll("'", "''")}'`);
    for (const [channel, subject, body] of templates) {
      this.addSql(`insert into "customer"."notification_template" ("id", "storefront_id", "key", "channel", "locale", "subject", "body", "variables", "created_at", "updated_at")
        values ('${newId()}', null, 'campaign.offer', '${channel}', 'en', ${literal(subject)}, ${literal(body)},
        array['name', 'title', 'message', 'link']::text[], now(), now()) on conflict do nothing`);
    }
  }
}
