import { Checks } from '@dcrm/kit';
import type { NotificationChannel } from '../../entities/index.js';
import type { ErrorCode } from '../customer.errors.js';
import type { SendItem } from './send.js';
import type { Variables } from './template-text.js';

/** `NotificationSendInput.batch`: one template and its shared fields, then per customer only what differs. */
export type SendBatch = {
  templateKey: string;
  channels?: NotificationChannel[] | null;
  preferenceType?: string | null;
  marketing?: boolean | null;
  variableNames: string[];
  recipients: { customerId: string; dedupeKey?: string | null; values: (string | null)[]; channels?: NotificationChannel[] | null }[];
};

/**
 * A batch as the send items it stands for (the same a `messages` entry per customer would be), or
 * INVALID for a recipient whose values do not match the names one for one. A recipient's own channels
 * replace the batch's. The shared fields are
 * checked once per item by the send, as any message's.
 */
export function batchItems(batch: SendBatch | null | undefined): { items: SendItem[]; checks: Checks<ErrorCode> } {
  const checks = new Checks<ErrorCode>();
  if (!batch) return { items: [], checks };
  const names = batch.variableNames;
  const channels = batch.channels ?? null;
  const marketing = batch.marketing ?? true;
  const items = batch.recipients.map((r, i): SendItem => {
    if (r.values.length !== names.length)
      checks.add('INVALID', `Give ${names.length} values, one per variable name`, ['input', 'batch', 'recipients', String(i), 'values']);
    const variables: Variables = {};
    for (let v = 0; v < names.length; v++) variables[names[v]] = r.values[v] ?? null;
    return {
      customerId: r.customerId,
      templateKey: batch.templateKey,
      variables,
      channels: r.channels?.length ? r.channels : channels,
      preferenceType: batch.preferenceType ?? null,
      marketing,
      dedupeKey: r.dedupeKey ?? null,
    };
  });
  return { items, checks };
}
