import { Migration, newId } from '@dcrm/kit';

const s = '"customer"';
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
const VARIABLES = ['name', 'question', 'surveyId', 'contextType', 'contextId'];

/** The default template of the NPS survey sent after a resolved ticket (domain/nps-after-ticket.ts). */
const DEFAULTS: [channel: string, subject: string, body: string][] = [
  ['SITE_MESSAGE', 'How did we do?', '{{question}} Answer from 0 to 10 in your account.'],
  ['EMAIL', 'How did we do?', 'Hi {{name}},\n\nyour ticket is resolved. {{question}}\nAnswer from 0 to 10 in your account.'],
];

export class Migration20261201271NpsAfterTicket extends Migration {
  override async up(): Promise<void> {
    for (const [channel, subject, body] of DEFAULTS)
      this.addSql(`insert into ${s}."notification_template" ("id", "storefront_id", "key", "channel", "locale", "subject", "body", "variables", "created_at", "updated_at")
        values ('${newId()}', null, 'nps.afterTicket', ${literal(channel)}, 'en', ${literal(subject)}, ${literal(body)},
        array[${VARIABLES.map(literal).join(', ')}]::text[], now(), now()) on conflict do nothing`);
  }
}
