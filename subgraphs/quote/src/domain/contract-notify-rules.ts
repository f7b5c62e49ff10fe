import type { NotifyRule } from '@dcrm/kit';

const day = (value: unknown) => (value ? new Date(value as string | Date).toISOString().slice(0, 10) : null);

/**
 * What contract changes tell whom (kit notify-on-change.ts): a contract becoming RENEWAL_DUE tells its
 * customer (`contract.renewalDue`), in the same transaction as the change, sent after commit.
 */
export const contractNotifyRules: NotifyRule[] = [
  {
    entity: 'Contract',
    on: 'update',
    fields: ['status'],
    template: 'contract.renewalDue',
    recipients: (row) => (row.status === 'RENEWAL_DUE' ? { customerId: row.customerId as string } : null),
    variables: (row) => ({
      contractNumber: row.number as string,
      periodEnd: day(row.periodEnd),
      policy: ((row.terms as { renewalPolicy?: string } | null)?.renewalPolicy ?? null) as string | null,
    }),
  },
];
