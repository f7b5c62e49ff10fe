import type { NotifyRow, NotifyRule, TotalsData } from '@dcrm/kit';

export const day = (value: unknown) => (value ? new Date(value as string | Date).toISOString().slice(0, 10) : null);
export const money = (row: NotifyRow, field: 'dueNow' | 'monthly') => `${(row.totals as TotalsData)[field]} ${row.currencyCode as string}`;

/** The customer who submitted the quote (self-care), or nobody. */
const customerSubmitter = (row: NotifyRow) =>
  row.submittedByKind === 'customer' && row.submittedBy === row.customerId ? { customerId: row.customerId as string } : null;

/**
 * What quote changes tell customers (kit notify-on-change.ts), in the transaction of the change and sent
 * after commit: a quote the customer submitted approved (also when no rule asked for approval) or rejected,
 * and a quote accepted — by them or on their behalf — with its order placed. Staff submitters are told by
 * approval routing (`quote.decided`).
 */
export const quoteNotifyRules: NotifyRule[] = [
  {
    entity: 'Quote',
    on: 'update',
    fields: ['status'],
    template: 'quote.customerDecided',
    recipients: (row) => (row.status === 'APPROVED' || row.status === 'REJECTED' ? customerSubmitter(row) : null),
    variables: (row) => decisionVariables(row),
  },
  {
    entity: 'Quote',
    on: 'update',
    fields: ['status'],
    template: 'quote.customerAccepted',
    recipients: (row) => (row.status === 'ACCEPTED' && row.customerId ? { customerId: row.customerId as string } : null),
    variables: (row) => decisionVariables(row),
  },
];

/** The variables of `quote.customerDecided` / `quote.customerAccepted` for a quote (also told to a partner who submitted it). */
export const decisionVariables = (quote: NotifyRow): Record<string, string | null> =>
  quote.status === 'ACCEPTED'
    ? { quoteNumber: quote.number as string, dueNow: money(quote, 'dueNow'), monthly: money(quote, 'monthly') }
    : {
        quoteNumber: quote.number as string,
        decision: String(quote.status).toLowerCase(),
        validUntil: quote.status === 'APPROVED' ? day(quote.validUntil) : null,
        dueNow: money(quote, 'dueNow'),
        monthly: money(quote, 'monthly'),
      };

/** Tells a partner user who submitted the quote of its new status (APPROVED, REJECTED or ACCEPTED), after commit. */
export const partnerTemplate = (status: string) => (status === 'ACCEPTED' ? 'quote.customerAccepted' : 'quote.customerDecided');
