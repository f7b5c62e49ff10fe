import { loggerFor, newId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelAdapter, ChannelAdapters, OutgoingMessage } from './adapters.js';
import type { Planned } from './send.js';
import { insertSentRecords, type SqlPart } from './sent-records.js';

const outgoingOf = ({ record, delivered }: Planned): OutgoingMessage => ({
  sentId: record.id,
  storefrontId: record.storefront_id,
  channel: record.channel as OutgoingMessage['channel'],
  recipient: record.recipient as string,
  ...delivered,
});

/** Hands planned messages to an adapter; refused, each is recorded FAILED with the adapter's (safe) reason. */
async function handOver(batch: Planned[], send: (messages: OutgoingMessage[]) => Promise<void>): Promise<void> {
  try {
    await send(batch.map(outgoingOf));
  } catch (error) {
    const reason = (error as Error).message.slice(0, 300);
    for (const { record } of batch) {
      record.status = 'FAILED';
      record.error = reason;
    }
    loggerFor('customer').warn(`${batch.length} notification(s) on ${batch[0].record.channel} failed: ${reason}`);
  }
}

/**
 * Hands each planned message to its channel (an adapter that takes many at once gets them in one call)
 * and records them all in one statement: the inbox messages (customers' and staff's) are inserted by
 * that statement's leading parts, so no transaction and no further round trip is needed. A record or
 * inbox message whose dedupe key was taken meanwhile is not written twice.
 */
export async function deliver(em: EntityManager, adapters: ChannelAdapters, planned: Planned[]): Promise<void> {
  const outgoing = new Map<ChannelAdapter, Planned[]>();
  for (const p of planned) {
    if (p.record.status !== 'SENT' || p.record.channel === 'SITE_MESSAGE') continue;
    const adapter = adapters[p.record.channel];
    const batch = outgoing.get(adapter);
    if (batch) batch.push(p);
    else outgoing.set(adapter, [p]);
  }
  for (const [adapter, batch] of outgoing) {
    const sendAll = adapter.sendAll;
    if (sendAll) await handOver(batch, (messages) => sendAll(messages, em));
    else for (const p of batch) await handOver([p], ([message]) => adapter.send(message, em));
  }
  if (planned.length === 0) return;
  const inboxes = planned.filter((p) => p.record.status === 'SENT' && p.record.channel === 'SITE_MESSAGE');
  const inbox = inboxes.filter((p) => p.record.customer_id);
  const staffInbox = inboxes.filter((p) => p.record.staff_id);
  const before: SqlPart[] = [];
  // Column by column, as typed arrays bound server-side (see `insertSentRecords`); times as ISO texts, which kit `executeBound` sends as one literal.
  if (staffInbox.length)
    before.push({
      sql: `staff_inbox as (insert into "customer"."staff_message" (id, staff_id, storefront_id, title, body, created_at, dedupe_key)
         select x.id, x.staff_id, x.storefront_id, x.title, x.body, x.created_at, x.dedupe_key
         from unnest(array[?]::uuid[], array[?]::uuid[], array[?]::uuid[], array[?]::text[], array[?]::text[], array[?]::timestamptz[], array[?]::text[])
           as x(id, staff_id, storefront_id, title, body, created_at, dedupe_key)
         on conflict (dedupe_key) do nothing)`,
      params: [
        staffInbox.map(() => newId()),
        staffInbox.map((p) => p.record.staff_id),
        staffInbox.map((p) => p.record.storefront_id),
        staffInbox.map((p) => p.delivered.subject ?? ''),
        staffInbox.map((p) => p.delivered.body),
        staffInbox.map((p) => p.record.created_at.toISOString()),
        staffInbox.map((p) => p.record.dedupe_key),
      ],
    });
  if (inbox.length)
    before.push({
      sql: `inbox as (insert into "customer"."site_message" (id, customer_id, title, body, created_at, dedupe_key)
         select x.id, x.customer_id, x.title, x.body, x.created_at, x.dedupe_key
         from unnest(array[?]::uuid[], array[?]::uuid[], array[?]::text[], array[?]::text[], array[?]::timestamptz[], array[?]::text[])
           as x(id, customer_id, title, body, created_at, dedupe_key)
         on conflict (dedupe_key) where dedupe_key is not null do nothing)`,
      params: [
        inbox.map(() => newId()),
        inbox.map((p) => p.record.customer_id),
        inbox.map((p) => p.delivered.subject ?? ''),
        inbox.map((p) => p.delivered.body),
        inbox.map((p) => p.record.created_at.toISOString()),
        inbox.map((p) => p.record.dedupe_key),
      ],
    });
  await insertSentRecords(
    em,
    planned.map((p) => p.record),
    before,
  );
}
