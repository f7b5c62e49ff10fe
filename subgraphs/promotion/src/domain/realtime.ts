import {
  type CartAbandonedEvent,
  type OrderPlacedEvent,
  type ProductViewedEvent,
  servicePrincipal,
  type TicketResolvedEvent,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { accountOf } from '../clients/accounts.js';
import { productOf } from '../clients/catalog.js';
import { type IOfferRule, OfferRule, PromotionRow } from '../entities/index.js';
import { makeOffer } from './offers.js';
import type { PromotionServices } from './services.js';
import { renderTemplate } from './templates.js';

export type RuleEvent = IOfferRule['event'];

/** A domain event as real-time rules see it: who, which product (if one), when. */
export type Signal = { eventId: string; event: RuleEvent; storefrontId: string; customerId: string; productId: string | null; at: Date };

export function toSignal(
  event: RuleEvent,
  payload: ProductViewedEvent | CartAbandonedEvent | OrderPlacedEvent | TicketResolvedEvent,
): Signal | null {
  if (!payload?.eventId || !payload.customerId || !payload.storefrontId) return null;
  const at = new Date(payload.at);
  const productId = 'productId' in payload ? payload.productId : 'productIds' in payload ? (payload.productIds?.[0] ?? null) : null;
  return { eventId: payload.eventId, event, storefrontId: payload.storefrontId, customerId: payload.customerId, productId, at };
}

/**
 * Records a signal once (its event id; several promotion instances hear the same event) and runs the
 * storefront's active rules for its kind: when `threshold` signals of the customer (for PRODUCT_VIEWED:
 * of the same product) fall within the rule's window, an offer is made — at most one per rule,
 * customer and product per cooldown. Returns the ids of offers made.
 */
export async function handleSignal(em: EntityManager, services: PromotionServices, signal: Signal): Promise<string[]> {
  const at = Number.isNaN(signal.at.getTime()) ? services.clock.now() : signal.at;
  const recorded = await em.execute(
    `insert into "promotion"."signal" (event_id, storefront_id, customer_id, event, product_id, at) values (?, ?, ?, ?, ?, ?)
     on conflict (event_id) do nothing returning event_id`,
    [signal.eventId, signal.storefrontId, signal.customerId, signal.event, signal.productId, at],
  );
  if (recorded.length === 0) return [];
  const rules = await em.find(OfferRule, { storefrontId: signal.storefrontId, event: signal.event, active: true });
  const made: string[] = [];
  for (const rule of rules) {
    const offerId = await applyRule(em, services, rule, signal, at);
    if (offerId) made.push(offerId);
  }
  return made;
}

async function applyRule(
  em: EntityManager,
  services: PromotionServices,
  rule: IOfferRule,
  signal: Signal,
  at: Date,
): Promise<string | null> {
  const sameProduct = rule.event === 'PRODUCT_VIEWED';
  const productId = sameProduct ? signal.productId : null;
  const [{ count }] = await em.execute(
    `select count(*)::int as count from "promotion"."signal"
     where customer_id = ? and event = ? and at > ? and at <= ? ${sameProduct ? 'and product_id = ?' : ''}`,
    [signal.customerId, signal.event, new Date(at.getTime() - rule.windowMinutes * 60_000), at, ...(sameProduct ? [productId] : [])],
  );
  if (count < rule.threshold) return null;
  const cooldownMs = rule.cooldownMinutes * 60_000;
  const [{ recent }] = await em.execute(
    `select count(*)::int as recent from "promotion"."offer" where rule_id = ? and customer_id = ?
     and product_id is not distinct from ?::uuid and created_at > ?`,
    [rule.id, signal.customerId, signal.productId, new Date(at.getTime() - cooldownMs)],
  );
  if (recent > 0) return null;

  const self = servicePrincipal('promotion', signal.storefrontId, []);
  const [account, product, promotion] = await Promise.all([
    accountOf(services.peers, self, signal.customerId),
    signal.productId ? productOf(services.peers, self, signal.productId, services.products) : null,
    rule.promotionId ? em.findOne(PromotionRow, { id: rule.promotionId, active: true }) : null,
  ]);
  if (!account) return null;
  const now = services.clock.now();
  // The cooldown bucket backs the check above when two instances decide at the same moment.
  const bucket = cooldownMs > 0 ? Math.floor(at.getTime() / cooldownMs) : signal.eventId;
  const offer = await makeOffer(em, services.bus, {
    storefrontId: signal.storefrontId,
    customerId: account.id,
    segment: account.segment,
    partnerId: account.partner?.id ?? null,
    source: 'REAL_TIME',
    ruleId: rule.id,
    promotionId: promotion?.id ?? null,
    productId: product?.id ?? null,
    couponCode: promotion?.couponCode ?? null,
    ...renderTemplate(rule.template, { name: account.name, product: product?.name }),
    score: Number(rule.score),
    createdAt: now,
    expiresAt: new Date(now.getTime() + rule.offerTtlHours * 3_600_000),
    dedupeKey: `rule:${rule.id}:${account.id}:${signal.productId ?? '-'}:${bucket}`,
  });
  return offer?.id ?? null;
}
