import { Migration, newId } from '@dcrm/kit';

const s = '"customer"';
const VARIABLES = ['name', 'contractNumber', 'periodEnd', 'policy'];

/**
 * Default templates of `contract.renewalDue` (the quote subgraph's notify rule when a contract's renewal
 * offer is made). Inserted only where missing, so another migration adding the same key is harmless.
 */
const DEFAULTS: [channel: string, subject: string, body: string][] = [
  [
    'SITE_MESSAGE',
    'Contract {{contractNumber}} is due for renewal',
    'Your contract {{contractNumber}} ends on {{periodEnd}}. Renew it to keep your plan and price.',
  ],
  [
    'EMAIL',
    'Your contract {{contractNumber}} ends on {{periodEnd}}',
    'Hi {{name}}, your contract {{contractNumber}} ends on {{periodEnd}}. Contact us or reply to renew it before then.',
  ],
];

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export class Migration20261201350ContractRenewalTemplate extends Migration {
  override async up(): Promise<void> {
    for (const [channel, subject, body] of DEFAULTS)
      this.addSql(`insert into ${s}."notification_template" ("id", "storefront_id", "key", "channel", "locale", "subject", "body", "variables", "created_at", "updated_at")
        values ('${newId()}', null, 'contract.renewalDue', ${literal(channel)}, 'en', ${literal(subject)}, ${literal(body)},
        array[${VARIABLES.map(literal).join(', ')}]::text[], now(), now()) on conflict do nothing`);
  }
}
