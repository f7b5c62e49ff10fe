import { Migration } from '@dcrm/kit';

const s = '"ticket"';

/** How a comment reached a ticket (email and SMS replies), and the provider's message id, recorded once per channel. */
export class Migration20261201281CommentChannel extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table ${s}."ticket_comment" add column "channel" text not null default 'API', add column "provider_message_id" text null`,
    );
    this.addSql(`create unique index "ticket_comment_provider_message_unique" on ${s}."ticket_comment" ("channel", "provider_message_id")
      where "provider_message_id" is not null`);
  }
}
