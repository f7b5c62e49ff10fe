import { Migration, newId } from '@dcrm/kit';

const s = '"customer"';

/**
 * Default templates (inbox and EMAIL) of the quote subgraph's notify rules to customers: a quote the
 * customer submitted approved or rejected (`quote.customerDecided`), and a quote accepted — by the
 * customer or on their behalf — with its order (`quote.customerAccepted`). Inserted only where missing.
 */
const TEMPLATES: { key: string; variables: string[]; site: [string, string]; email: [string, string] }[] = [
  {
    key: 'quote.customerDecided',
    variables: ['name', 'quoteNumber', 'decision', 'validUntil', 'dueNow', 'monthly'],
    site: [
      'Quote {{quoteNumber}} was {{decision}}',
      'Your quote {{quoteNumber}} was {{decision}}.{{#if validUntil}} It can be accepted until {{validUntil}}.{{/if}}',
    ],
    email: [
      'Your quote {{quoteNumber}} was {{decision}}',
      'Hi {{name}}, your quote {{quoteNumber}} ({{dueNow}} now, {{monthly}} monthly) was {{decision}}.{{#if validUntil}}\nYou can accept it until {{validUntil}}.{{/if}}',
    ],
  },
  {
    key: 'quote.customerAccepted',
    variables: ['name', 'quoteNumber', 'dueNow', 'monthly'],
    site: [
      'Quote {{quoteNumber}} accepted',
      'Your quote {{quoteNumber}} was accepted and your order placed ({{dueNow}} now, {{monthly}} monthly).',
    ],
    email: [
      'Quote {{quoteNumber}} accepted: your order is placed',
      'Hi {{name}}, your quote {{quoteNumber}} was accepted and your order placed: {{dueNow}} now, {{monthly}} monthly.',
    ],
  },
];

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export class Migration20261202301QuoteCustomerTemplates extends Migration {
  override async up(): Promise<void> {
    for (const t of TEMPLATES)
      for (const [channel, [subject, body]] of [
        ['SITE_MESSAGE', t.site],
        ['EMAIL', t.email],
      ] as const)
        this.addSql(`insert into ${s}."notification_template" ("id", "storefront_id", "key", "channel", "locale", "subject", "body", "variables", "created_at", "updated_at")
        values ('${newId()}', null, ${literal(t.key)}, '${channel}', 'en', ${literal(subject)}, ${literal(body)},
        array[${t.variables.map(literal).join(', ')}]::text[], now(), now()) on conflict do nothing`);
  }
}
