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
  if (staffInbox.length)
    before.push({
      sql: `staff_inbox as (insert into "customer"."staff_message" (id, staff_id, storefront_id, title, body, created_at, dedupe_key)
         select id, staff_id, storefront_id, title, body, created_at, dedupe_key from jsonb_to_recordset(?::jsonb)
           as x(id uuid, staff_id uuid, storefront_id uuid, title text, body text, created_at timestamptz, dedupe_key text)
         on conflict (dedupe_key) do nothing)`,
      params: [
        JSON.stringify(
          staffInbox.map(({ record, delivered }) => ({
            id: newId(),
            staff_id: record.staff_id,
            storefront_id: record.storefront_id,
            title: delivered.subject ?? '',
            body: delivered.body,
            created_at: record.created_at,
            dedupe_key: record.dedupe_key,
          })),
        ),
      ],
    });
  if (inbox.length)
    before.push({
      sql: `inbox as (insert into "customer"."site_message" (id, customer_id, title, body, created_at, dedupe_key)
         select id, customer_id, title, body, created_at, dedupe_key from jsonb_to_recordset(?::jsonb)
           as x(id uuid, customer_id uuid, title text, body text, created_at timestamptz, dedupe_key text)
         on conflict (dedupe_key) where dedupe_key is not null do nothing)`,
      params: [
        JSON.stringify(
          inbox.map(({ record, delivered }) => ({
            id: newId(),
            customer_id: record.customer_id,
            title: delivered.subject ?? '',
            body: delivered.body,
            created_at: record.created_at,
            dedupe_key: record.dedupe_key,
          })),
        ),
      ],
    });
  await insertSentRecords(
    em,
    planned.map((p) => p.record),
    before,
  );
}
