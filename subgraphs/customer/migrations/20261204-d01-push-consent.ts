import { Migration } from '@dcrm/kit';

/** PUSH joins the contact channels: a marketing consent and an offers preference (JSON), and so a channel interactions and NPS answers may name. */
export class Migration20261204D01PushConsent extends Migration {
  override async up(): Promise<void> {
    const channels = `('EMAIL', 'SMS', 'PHONE', 'IVR', 'CHAT', 'WEB', 'STORE', 'CHATBOT', 'PUSH')`;
    for (const table of ['interaction', 'nps_response']) {
      this.addSql(`alter table "customer"."${table}" drop constraint if exists "${table}_channel_check"`);
      this.addSql(`alter table "customer"."${table}" add constraint "${table}_channel_check" check ("channel" in ${channels})`);
    }
  }
}
