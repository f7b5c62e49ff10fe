import { Migration, newId } from '@dcrm/kit';

const s = '"customer"';

/**
 * Default templates (EMAIL and the staff inbox, SITE_MESSAGE) of the staff notifications other modules send (lead and opportunity
 * assignment and escalation, quote approval routing, ticket assignment and escalation, contract
 * renewal). `name` is the staff member's own (filled by the send service); every other variable is the
 * sender's to give (null renders empty, `{{#if}}` blocks skip it). Checked by `staff-templates.spec.ts`.
 */
export const STAFF_TEMPLATES: { key: string; subject: string; body: string; variables: string[] }[] = [
  {
    key: 'lead.assigned',
    subject: 'New lead: {{leadName}}',
    body: 'Hi {{name}}, the lead {{leadName}}{{#if source}} ({{source}}){{/if}} is assigned to you.{{#if rating}}\nRating: {{rating}}{{/if}}{{#if url}}\n{{url}}{{/if}}',
    variables: ['name', 'leadId', 'leadName', 'source', 'rating', 'url'],
  },
  {
    key: 'opportunity.assigned',
    subject: 'Opportunity assigned: {{opportunityName}}',
    body: 'Hi {{name}}, the opportunity {{opportunityName}} ({{stage}}) is assigned to you.{{#if url}}\n{{url}}{{/if}}',
    variables: ['name', 'opportunityId', 'opportunityName', 'stage', 'url'],
  },
  {
    key: 'opportunity.escalated',
    subject: 'Escalated: {{opportunityName}}',
    body: 'Hi {{name}}, the opportunity {{opportunityName}} has been in {{stage}} for {{idleDays}} days{{#if ownerName}} with {{ownerName}}{{/if}} and is escalated to you.{{#if url}}\n{{url}}{{/if}}',
    variables: ['name', 'opportunityId', 'opportunityName', 'stage', 'idleDays', 'ownerName', 'url'],
  },
  {
    key: 'quote.approvalRequested',
    subject: 'Approval needed: quote {{quoteNumber}}',
    body: 'Hi {{name}}, quote {{quoteNumber}}{{#if customerName}} for {{customerName}}{{/if}} ({{total}}) needs your approval: {{reason}}.{{#if requestedBy}}\nRequested by {{requestedBy}}.{{/if}}{{#if url}}\n{{url}}{{/if}}',
    variables: ['name', 'quoteId', 'quoteNumber', 'customerName', 'total', 'reason', 'requestedBy', 'url'],
  },
  {
    key: 'quote.decided',
    subject: 'Quote {{quoteNumber}}: {{decision}}',
    body: 'Hi {{name}}, quote {{quoteNumber}} was {{decision}}{{#if decidedBy}} by {{decidedBy}}{{/if}}.{{#if comment}}\n{{comment}}{{/if}}{{#if url}}\n{{url}}{{/if}}',
    variables: ['name', 'quoteId', 'quoteNumber', 'decision', 'decidedBy', 'comment', 'url'],
  },
  {
    key: 'ticket.assigned',
    subject: 'Ticket {{ticketNumber}} assigned to you ({{priority}})',
    body: 'Hi {{name}}, ticket {{ticketNumber}} "{{subject}}" ({{priority}}) is assigned to you.{{#if dueAt}}\nResolution due {{dueAt}}.{{/if}}{{#if url}}\n{{url}}{{/if}}',
    variables: ['name', 'ticketId', 'ticketNumber', 'subject', 'priority', 'dueAt', 'url'],
  },
  {
    key: 'ticket.escalated',
    subject: 'Escalated: ticket {{ticketNumber}} ({{priority}})',
    body: 'Hi {{name}}, ticket {{ticketNumber}} "{{subject}}" ({{priority}}) is escalated to you: {{reason}}.{{#if assigneeName}}\nAssignee: {{assigneeName}}.{{/if}}{{#if dueAt}}\nDue {{dueAt}}.{{/if}}{{#if url}}\n{{url}}{{/if}}',
    variables: ['name', 'ticketId', 'ticketNumber', 'subject', 'priority', 'reason', 'assigneeName', 'dueAt', 'url'],
  },
  {
    key: 'contract.renewalDue',
    subject: 'Renewal due: contract {{contractNumber}}',
    body: 'Hi {{name}}, contract {{contractNumber}}{{#if customerName}} of {{customerName}}{{/if}} ends on {{endDate}} ({{daysLeft}} days).{{#if url}}\n{{url}}{{/if}}',
    variables: ['name', 'contractId', 'contractNumber', 'customerName', 'endDate', 'daysLeft', 'url'],
  },
];

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export class Migration20261201402StaffTemplates extends Migration {
  override async up(): Promise<void> {
    for (const t of STAFF_TEMPLATES)
      for (const channel of ['EMAIL', 'SITE_MESSAGE'])
        this.addSql(`insert into ${s}."notification_template" ("id", "storefront_id", "key", "channel", "locale", "subject", "body", "variables", "created_at", "updated_at")
        values ('${newId()}', null, ${literal(t.key)}, '${channel}', 'en', ${literal(t.subject)}, ${literal(t.body)},
        array[${t.variables.map(literal).join(', ')}]::text[], now(), now()) on conflict do nothing`);
  }
}
