import { loggerFor, SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type NotificationBatch, sendNotificationBatch } from '../../clients/accounts.js';
import { productOf } from '../../clients/catalog.js';
import { insertOffers, type NewOffer, publishOffers } from '../offers.js';
import type { PromotionServices } from '../services.js';
import { renderTemplate } from '../templates.js';
import type { DecisionRow } from './recorder.js';
import type { RuleCache } from './rule-cache.js';
import type { RuleView } from './rules.js';
import type { DecisionChannel, Profile } from './types.js';

/** A recorded ACTION decision, with what its effect needs. */
export type Effect = { row: DecisionRow; rule: RuleView; profile: Profile; channel: DecisionChannel };

const NOTIFICATION_CHANNEL: Record<Exclude<DecisionChannel, 'LIVE'>, string> = {
  PUSH: 'PUSH',
  SMS: 'SMS',
  EMAIL: 'EMAIL',
  INBOX: 'SITE_MESSAGE',
};

// One notification call per brand and batch: each decision's channel travels with its recipient.
const newBatch = (): NotificationBatch => ({
  channels: [],
  marketing: true,
  preferenceType: 'OFFERS',
  recipients: [],
  templateKey: 'campaign.offer',
  variableNames: ['title', 'message', 'link'],
});

/** A product's name for `{{product}}`, as the catalog shows it to the brand (kept until the catalog changes: clients/catalog.ts). */
async function productName(services: PromotionServices, storefrontId: string, productId: string): Promise<string | null> {
  const product = await productOf(services.peers, servicePrincipal('promotion', storefrontId, []), productId, services.products).catch(
    () => null,
  );
  return product?.name ?? null;
}

/**
 * Carries out a batch's recorded ACTION decisions: offers (OFFER, PROMOTION) in one insert, keyed by
 * decision so a retry writes none twice, each published on its customer's live channel (the router
 * delivers it to an open subscription); for any channel but LIVE, a notification through the
 * customer subgraph's notification service on exactly that channel (it re-checks consent), keyed by
 * decision: one call per brand for the batch, whatever its channels. Returns the ids of the decisions
 * carried out: a brand whose notifications failed leaves its notified decisions out (logged), so they are
 * tried again (see delivery.ts); a failed insert throws.
 * The live publish is at most once: a client that was offline finds the offer in its offers.
 */
export async function applyEffects(em: EntityManager, services: PromotionServices, rules: RuleCache, effects: Effect[]): Promise<string[]> {
  if (effects.length === 0) return [];
  const now = services.clock.now();
  const offers: NewOffer[] = [];
  const batches = new Map<string, NotificationBatch>();
  for (const { row, rule, profile, channel } of effects) {
    const action = rule.action;
    const product = action.productId ? await productName(services, row.storefrontId, action.productId) : null;
    const text = renderTemplate(action.template, { name: profile.name, product });
    if (action.kind !== 'MESSAGE' && row.offerId) {
      offers.push({
        id: row.offerId,
        storefrontId: row.storefrontId,
        customerId: profile.customerId,
        segment: profile.segment,
        partnerId: profile.partnerId,
        source: 'REAL_TIME',
        promotionId: action.promotionId ?? null,
        productId: action.productId ?? null,
        couponCode: action.promotionId ? rules.coupon(row.storefrontId, action.promotionId) : null,
        ...text,
        score: Number(rule.score),
        createdAt: now,
        expiresAt: new Date(now.getTime() + (action.offerTtlHours ?? 48) * 3_600_000),
        dedupeKey: `decision:${row.id}`,
      });
    }
    if (channel !== 'LIVE') {
      const batch = batches.get(row.storefrontId) ?? newBatch();
      batch.recipients.push({
        channels: [NOTIFICATION_CHANNEL[channel]],
        customerId: profile.customerId,
        dedupeKey: `decision:${row.id}`,
        values: [text.title, text.message, text.link],
      });
      batches.set(row.storefrontId, batch);
    }
  }
  const created = await insertOffers(em, offers);
  await publishOffers(services.bus, created);
  const failed = new Set<string>();
  await Promise.all(
    [...batches].map(([storefrontId, batch]) =>
      sendNotificationBatch(services.peers, servicePrincipal('promotion', storefrontId, [SERVICE_SCOPES.messageSend]), batch).catch(
        (error) => {
          failed.add(storefrontId);
          loggerFor('promotion').error({ err: error }, 'decision notifications not sent');
        },
      ),
    ),
  );
  return effects.filter((e) => e.channel === 'LIVE' || !failed.has(e.row.storefrontId)).map((e) => e.row.id);
}
