import { Migration, newId } from '@dcrm/kit';

const s = '"customer"';
const VARIABLES = ['name', 'orderNumber', 'orderId', 'dueNow', 'monthly', 'currencyCode', 'reason'];

/** Default templates of `order.approvalRequested` (cart's notify-on-change rule on an order held over a spend budget). */
const DEFAULTS: [channel: string, subject: string, body: string][] = [
  [
    'SITE_MESSAGE',
    'Order {{orderNumber}} needs your approval',
    'Order {{orderNumber}} ({{dueNow}} {{currencyCode}} now, {{monthly}} {{currencyCode}} a month) is waiting for your approval.{{#if reason}}\n{{reason}}{{/if}}',
  ],
  [
    'EMAIL',
    'Approve order {{orderNumber}}?',
    'Hi {{name}}, a sub-account placed order {{orderNumber}}: {{dueNow}} {{currencyCode}} now and {{monthly}} {{currencyCode}} a month.{{#if reason}}\n{{reason}}{{/if}}\nApprove or reject it in your account.',
  ],
];

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export class Migration202612021002OrderApprovalTemplate extends Migration {
  override async up(): Promise<void> {
    for (const [channel, subject, body] of DEFAULTS)
      this.addSql(`insert into ${s}."notification_template" ("id", "storefront_id", "key", "channel", "locale", "subject", "body", "variables", "created_at", "updated_at")
        values ('${newId()}', null, 'order.approvalRequested', ${literal(channel)}, 'en', ${literal(subject)}, ${literal(body)},
        array[${VARIABLES.map(literal).join(', ')}]::text[], now(), now()) on conflict do nothing`);
  }
}
