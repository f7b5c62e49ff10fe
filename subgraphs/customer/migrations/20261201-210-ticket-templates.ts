import { Migration, newId } from '@dcrm/kit';

const s = '"customer"';
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Default templates of the ticket subgraph's notify-on-change rules: a ticket's status changed, an agent commented. */
const DEFAULTS: [key: string, variables: string[], channel: string, subject: string, body: string][] = [
  [
    'ticket.statusChanged',
    ['name', 'ticketId', 'subject', 'status', 'reason'],
    'SITE_MESSAGE',
    'Your ticket: {{status}}',
    '"{{subject}}" is now {{status}}.{{#if reason}}\n{{reason}}{{/if}}',
  ],
  [
    'ticket.statusChanged',
    ['name', 'ticketId', 'subject', 'status', 'reason'],
    'EMAIL',
    'Your ticket "{{subject}}" is {{status}}',
    'Hi {{name}}, your ticket "{{subject}}" is now {{status}}.{{#if reason}}\n{{reason}}{{/if}}',
  ],
  ['ticket.commented', ['name', 'ticketId', 'comment'], 'SITE_MESSAGE', 'A reply to your ticket', '{{comment}}'],
  ['ticket.commented', ['name', 'ticketId', 'comment'], 'EMAIL', 'A reply to your ticket', 'Hi {{name}},\n\n{{comment}}'],
];

export class Migration20261201210TicketTemplates extends Migration {
  override async up(): Promise<void> {
    for (const [key, variables, channel, subject, body] of DEFAULTS)
      this.addSql(`insert into ${s}."notification_template" ("id", "storefront_id", "key", "channel", "locale", "subject", "body", "variables", "created_at", "updated_at")
        values ('${newId()}', null, ${literal(key)}, ${literal(channel)}, 'en', ${literal(subject)}, ${literal(body)},
        array[${variables.map(literal).join(', ')}]::text[], now(), now()) on conflict do nothing`);
  }
}
