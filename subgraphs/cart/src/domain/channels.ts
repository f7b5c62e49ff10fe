import { newId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

export type OutgoingMessage = {
  storefrontId: string;
  customerId: string;
  channel: 'EMAIL' | 'SMS';
  subject: string;
  body: string;
  linkToken: string;
};

/** How email and SMS leave the system. The default records them in `cart.notification` (tests read it). */
export type ChannelAdapter = { send(message: OutgoingMessage, em: EntityManager): Promise<void> };

export const outboxChannel: ChannelAdapter = {
  async send(message, em) {
    await em.execute(
      `insert into "cart"."notification" (id, storefront_id, customer_id, channel, subject, body, link_token, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [newId(), message.storefrontId, message.customerId, message.channel, message.subject, message.body, message.linkToken, new Date()],
    );
  },
};
