import { executeBound, SERVICE_SCOPES, servicePrincipal, uuidArray } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type NotificationBatch, sendNotificationBatch } from '../clients/accounts.js';
import { publishOffers } from './offers.js';
import type { PromotionServices } from './services.js';

/** The customer subgraph takes at most this many notifications per call. */
export const MESSAGES_PER_CALL = 5000;

export type NotifyPayload = { campaignId: string; offerIds: string[] };

export type Pending = { id: string; customer_id: string; storefront_id: string; title: string; message: string; link: string | null };

/**
 * Announces one audience batch's offers (a job an earlier version queued; chunks now announce their
 * own): inbox messages (template `campaign.offer`) through the customer subgraph's notification service
 * (keyed per offer, so a retried job sends none twice), then — in one transaction — the offers marked
 * notified and `campaign.notified` raised by exactly those, then each offer published live on its
 * customer's channel. Only while the campaign runs; offers no longer open are left out.
 */
export async function notifyBatch(em: EntityManager, services: PromotionServices, payload: NotifyPayload): Promise<number> {
  if (!Array.isArray(payload.offerIds) || payload.offerIds.length === 0) return 0;
  const pending = (await em.execute(
    `select o.id, o.customer_id, o.storefront_id, o.title, o.message, o.link from "promotion"."offer" o
     join "promotion"."campaign" c on c.id = o.campaign_id and c.status = 'RUNNING'
     where o.id = any(?::uuid[]) and o.campaign_id = ?
       and o.notified_at is null and o.status in ('NEW', 'SEEN', 'ACCEPTED') and o.customer_id is not null
     order by o.id`,
    [uuidArray(payload.offerIds), payload.campaignId],
  )) as Pending[];
  return sendAndMark(em, services, payload.campaignId, pending);
}

/** One offer's inbox message: its customer, the key the customer subgraph dedupes on, and the template's values. */
export type OfferMessage = { customerId: string; dedupeKey: string; title: string; message: string; link: string | null };

/**
 * Sends inbox messages (template `campaign.offer`) through the customer subgraph's notification
 * service, at most `MESSAGES_PER_CALL` per call; one it has seen the key of is a `DUPLICATE` there, not
 * sent again. Throws on any error, so the job retries.
 */
export async function sendOfferMessages(services: PromotionServices, storefrontId: string, messages: OfferMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const principal = servicePrincipal('promotion', storefrontId, [SERVICE_SCOPES.messageSend]);
  for (let i = 0; i < messages.length; i += MESSAGES_PER_CALL) {
    // Keys in alphabetical order (see NotificationBatch).
    const batch: NotificationBatch = {
      channels: ['SITE_MESSAGE'],
      marketing: true,
      preferenceType: 'OFFERS',
      recipients: messages
        .slice(i, i + MESSAGES_PER_CALL)
        .map((m) => ({ customerId: m.customerId, dedupeKey: m.dedupeKey, values: [m.title, m.message, m.link] })),
      templateKey: 'campaign.offer',
      variableNames: ['title', 'message', 'link'],
    };
    await sendNotificationBatch(services.peers, principal, batch);
  }
}

/**
 * Sends the inbox messages of these offers (keyed per offer: a re-run sends none twice), then in one
 * transaction marks them notified and raises `campaign.notified` by exactly those it marked, then
 * publishes them live. Throws on a failed send, so the job retries.
 */
export async function sendAndMark(em: EntityManager, services: PromotionServices, campaignId: string, pending: Pending[]): Promise<number> {
  if (pending.length === 0) return 0;
  await sendOfferMessages(
    services,
    pending[0].storefront_id,
    pending.map((o) => ({ customerId: o.customer_id, dedupeKey: `offer:${o.id}`, title: o.title, message: o.message, link: o.link })),
  );
  const now = services.clock.now();
  const marked = await em.transactional(async (tx) => {
    const rows = await executeBound<{ id: string; customer_id: string; storefront_id: string }>(
      tx,
      `update "promotion"."offer" set notified_at = $1 where id = any($2::uuid[]) and notified_at is null
       returning id, customer_id, storefront_id`,
      [now, pending.map((o) => o.id)],
    );
    if (rows.length) await tx.execute('update "promotion"."campaign" set notified = notified + ? where id = ?', [rows.length, campaignId]);
    return rows;
  });
  await publishOffers(
    services.bus,
    marked.map((r) => ({ offerId: r.id, customerId: r.customer_id, storefrontId: r.storefront_id })),
  );
  return marked.length;
}
