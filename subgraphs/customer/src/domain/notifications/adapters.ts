import { executeBoundPrepared, newId } from '@dcrm/kit';
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

// A call's messages in one statement, each column one typed array bound server-side (`unnest`): the same
// text whatever their number, and nothing escaped into it. One insert and commit per message cost the
// database more than the rest of a send; one JSON document formatted into the text cost ~5× the time.
const OUTBOX_INSERT = `insert into "customer"."notification_outbox" (id, sent_id, storefront_id, channel, recipient, subject, body, created_at)
  select x.id, x.sent_id, x.storefront_id, x.channel, x.recipient, x.subject, x.body, $8::timestamptz
    from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
      as x(id, sent_id, storefront_id, channel, recipient, subject, body)`;

async function writeOutbox(messages: OutgoingMessage[], em: EntityManager): Promise<void> {
  if (messages.length === 0) return;
  await executeBoundPrepared(em, OUTBOX_INSERT, [
    messages.map(() => newId()),
    messages.map((m) => m.sentId),
    messages.map((m) => m.storefrontId),
    messages.map((m) => m.channel),
    messages.map((m) => m.recipient),
    messages.map((m) => m.subject),
    messages.map((m) => m.body),
    new Date().toISOString(),
  ]);
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
