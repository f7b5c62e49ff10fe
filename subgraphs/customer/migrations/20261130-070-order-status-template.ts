import { Migration, newId } from '@dcrm/kit';

const s = '"customer"';
const VARIABLES = ['name', 'orderNumber', 'status', 'reason'];

/** Default templates of `order.statusChanged` (cart's notify-on-change rule on an order's status). */
const DEFAULTS: [channel: string, subject: string, body: string][] = [
  [
    'SITE_MESSAGE',
    'Order {{orderNumber}}: {{status}}',
    'Your order {{orderNumber}} is now {{status}}.{{#if reason}}\nReason: {{reason}}{{/if}}',
  ],
  [
    'EMAIL',
    'Your order {{orderNumber}} is {{status}}',
    'Hi {{name}}, your order {{orderNumber}} is now {{status}}.{{#if reason}}\nReason: {{reason}}{{/if}}',
  ],
];

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export class Migration20261130070OrderStatusTemplate extends Migration {
  override async up(): Promise<void> {
    for (const [channel, subject, body] of DEFAULTS)
      this.addSql(`insert into ${s}."notification_template" ("id", "storefront_id", "key", "channel", "locale", "subject", "body", "variables", "created_at", "updated_at")
        values ('${newId()}', null, 'order.statusChanged', ${literal(channel)}, 'en', ${literal(subject)}, ${literal(body)},
        array[${VARIABLES.map(literal).join(', ')}]::text[], now(), now()) on conflict do nothing`);
  }
}
