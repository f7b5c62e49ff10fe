import { loggerFor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Decision, type IOffer, type OfferStatus } from '../../entities/index.js';
import type { PromotionServices } from '../services.js';
import type { ResponseKind } from './brand-store.js';
import { BUS_PRODUCER } from './bus-events.js';
import { decideBatch } from './decide.js';
import { dayOf } from './store.js';
import type { DecisionChannel } from './types.js';

/** An offer a decision made carries this dedupe key prefix, then the decision's id (`effects.ts`). */
const DECISION_KEY = 'decision:';

const EVENT_OF: Partial<Record<OfferStatus, string>> = { SEEN: 'OFFER_SEEN', ACCEPTED: 'OFFER_ACCEPTED', DISMISSED: 'OFFER_DISMISSED' };

/** How an answer counts for the channel its offer went out on: accepted, or declined (dismissed: delivered, and a no). */
const RESPONSE_OF: Partial<Record<OfferStatus, ResponseKind>> = { ACCEPTED: 'responded', DISMISSED: 'declined' };

/** A customer accepted or declined an offer a decision made: one response for its channel, segment and brand, on the day it was sent. */
async function countResponse(
  em: EntityManager,
  services: PromotionServices,
  offer: IOffer,
  decisionId: string,
  kind: ResponseKind,
): Promise<void> {
  const d = services.decisioning;
  const decision = d
    ? await em.findOne(Decision, { id: decisionId, storefrontId: offer.storefrontId }, { fields: ['channel', 'segment', 'decidedAt'] })
    : null;
  if (!d || !decision?.channel) return;
  await d.brands.count(kind, [
    {
      storefrontId: offer.storefrontId,
      segment: decision.segment,
      channel: decision.channel as DecisionChannel,
      day: dayOf(decision.decidedAt.getTime()),
    },
  ]);
}

/**
 * A customer answered one of their offers (it moved to SEEN, ACCEPTED or DISMISSED, once per move):
 * - accepted or declined (dismissed), and a decision made it: a response for the channel it went out
 *   on, so the channel's net response rate is (accepted − declined) ÷ sent of the same offers (awaited:
 *   a rate read next sees it);
 * - any answer: an `OFFER_SEEN`/`OFFER_ACCEPTED`/`OFFER_DISMISSED` event of the customer into decisioning
 *   (producer `dcrm.bus`, event id `<offer>:<status>`: once each), decided after the answer returns.
 * Failures are logged, never the customer's.
 */
export async function offerAnswered(em: EntityManager, services: PromotionServices, offer: IOffer): Promise<void> {
  const log = loggerFor('promotion');
  const decisionId = offer.dedupeKey?.startsWith(DECISION_KEY) ? offer.dedupeKey.slice(DECISION_KEY.length) : null;
  // An offer accepted, then dismissed (cleared away), stays an accept.
  const response = offer.status === 'DISMISSED' && offer.clickedAt ? undefined : RESPONSE_OF[offer.status as OfferStatus];
  if (response && decisionId)
    await countResponse(em, services, offer, decisionId, response).catch((error) => log.warn({ err: error }, 'offer response not counted'));
  const type = EVENT_OF[offer.status as OfferStatus];
  const d = services.decisioning;
  if (!d || !type || !offer.customerId) return;
  const payload = {
    offerId: offer.id,
    source: offer.source,
    ...(decisionId ? { decisionId } : {}),
    ...(offer.productId ? { productId: offer.productId } : {}),
    ...(offer.promotionId ? { promotionId: offer.promotionId } : {}),
  };
  const raw = {
    producer: BUS_PRODUCER,
    eventId: `${offer.id}:${offer.status}`,
    identity: { accountId: offer.customerId },
    type,
    occurredAt: services.clock.now().toISOString(),
    payload,
  };
  void decideBatch(d, 'BUS', [{ storefrontId: offer.storefrontId, raw, takeover: false }]).catch((error) =>
    log.error({ err: error }, 'offer answer not decided'),
  );
}
