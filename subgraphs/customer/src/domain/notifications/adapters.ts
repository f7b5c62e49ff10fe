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

/** How one channel delivers: resolves when the provider took the message, throws (with a safe message) when it refused. */
export type ChannelAdapter = { send(message: OutgoingMessage, em: EntityManager): Promise<void>; close?(): Promise<void> };
export type ChannelAdapters = Record<OutgoingMessage['channel'], ChannelAdapter>;

/** The default: every message written to `customer.notification_outbox`, for a relay (or a test) to pick up. */
export const outboxAdapter: ChannelAdapter = {
  async send(message, em) {
    await em.execute(
      `insert into "customer"."notification_outbox" (id, sent_id, storefront_id, channel, recipient, subject, body, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [newId(), message.sentId, message.storefrontId, message.channel, message.recipient, message.subject, message.body, new Date()],
    );
  },
};

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
