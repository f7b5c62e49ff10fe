import { Migration, newId } from '@dcrm/kit';

const s = '"customer"';

/**
 * The staff notification the ticket module sends when the customer's side replies to a ticket, reopens
 * it or confirms its resolution (to the assignee, else the ticket's or the brand's support team). EMAIL
 * and the staff inbox, like the other staff templates (20261201-402); checked by `staff-templates.spec.ts`.
 */
export const TICKET_REPLY_TEMPLATES: { key: string; subject: string; body: string; variables: string[] }[] = [
  {
    key: 'ticket.customerReplied',
    subject: 'Reply on ticket {{ticketNumber}}: {{subject}}',
    body: 'Hi {{name}}, {{author}} wrote on ticket {{ticketNumber}} "{{subject}}":\n{{excerpt}}{{#if url}}\n{{url}}{{/if}}',
    variables: ['name', 'ticketId', 'ticketNumber', 'subject', 'author', 'excerpt', 'url'],
  },
];

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export class Migration20261201451TicketReplyTemplate extends Migration {
  override async up(): Promise<void> {
    for (const t of TICKET_REPLY_TEMPLATES)
      for (const channel of ['EMAIL', 'SITE_MESSAGE'])
        this.addSql(`insert into ${s}."notification_template" ("id", "storefront_id", "key", "channel", "locale", "subject", "body", "variables", "created_at", "updated_at")
        values ('${newId()}', null, ${literal(t.key)}, '${channel}', 'en', ${literal(t.subject)}, ${literal(t.body)},
        array[${t.variables.map(literal).join(', ')}]::text[], now(), now()) on conflict do nothing`);
  }
}
