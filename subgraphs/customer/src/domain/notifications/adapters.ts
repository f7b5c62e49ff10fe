import { newId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import nodemailer from 'nodemailer';

/** A rendered message leaving through a channel other than the inbox (which is the customer's own table). */
export type OutgoingMessage = {
  sentId: string;
  storefrontId: string;
  channel: 'EMAIL' | 'SMS' | 'PUSH';
  recipient: string;
  subject: string | null;
  body: string;
};

/**
 * How one channel delivers: resolves when the provider took the message, throws (with a safe message) when
 * it refused. `sendAll`, when given, takes a call's messages at once, all or none (a send hands it every
 * message of its call for that adapter).
 */
export type ChannelAdapter = {
  send(message: OutgoingMessage, em: EntityManager): Promise<void>;
  sendAll?(messages: OutgoingMessage[], em: EntityManager): Promise<void>;
  close?(): Promise<void>;
};
export type ChannelAdapters = Record<OutgoingMessage['channel'], ChannelAdapter>;

// A call's messages in one statement (one JSON parameter: the same text whatever their number); one insert
// and commit per message cost the database more than the rest of a send.
const OUTBOX_INSERT = `insert into "customer"."notification_outbox" (id, sent_id, storefront_id, channel, recipient, subject, body, created_at)
  select id, sent_id, storefront_id, channel, recipient, subject, body, ?::timestamptz from jsonb_to_recordset(?::jsonb)
    as x(id uuid, sent_id uuid, storefront_id uuid, channel text, recipient text, subject text, body text)`;

async function writeOutbox(messages: OutgoingMessage[], em: EntityManager): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map((m) => ({
    id: newId(),
    sent_id: m.sentId,
    storefront_id: m.storefrontId,
    channel: m.channel,
    recipient: m.recipient,
    subject: m.subject,
    body: m.body,
  }));
  await em.execute(OUTBOX_INSERT, [new Date().toISOString(), JSON.stringify(rows)]);
}

/** The default: every message written to `customer.notification_outbox`, for a relay (or a test) to pick up. */
export const outboxAdapter: ChannelAdapter = { send: (message, em) => writeOutbox([message], em), sendAll: writeOutbox };

/** Email over SMTP (`SMTP_URL`, e.g. smtps://user:pass@mail.example.com:465) as plain text, from `SMTP_FROM`. */
export function smtpAdapter(url: string, from: string): ChannelAdapter {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from,
          to: message.recipient,
          subject: message.subject ?? '',
          text: message.body,
          messageId: `<${message.sentId}@dcrm>`,
        });
      } catch (error) {
        // The SMTP reply code and text, never credentials (the URL is not part of nodemailer's errors).
        const e = error as { responseCode?: number; code?: string };
        throw new Error(`SMTP refused: ${e.responseCode ?? e.code ?? 'error'}`);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** The adapters a process uses: SMTP for email when `SMTP_URL` is set, the outbox for everything else. */
export function channelAdapters(env: NodeJS.ProcessEnv = process.env): ChannelAdapters {
  const email = env.SMTP_URL ? smtpAdapter(env.SMTP_URL, env.SMTP_FROM ?? 'no-reply@dcrm.invalid') : outboxAdapter;
  return { EMAIL: email, SMS: outboxAdapter, PUSH: outboxAdapter };
}
