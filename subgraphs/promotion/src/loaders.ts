import {
  actingStorefront,
  allTranslationsLoader,
  byId,
  memo,
  type Principal,
  parentPages,
  requestTexts,
  storefrontLocale,
  windowByParent,
} from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createCampaignLoaders } from './domain/kpis.js';
import { offerScope } from './domain/offer-access.js';
import type { PromotionServices } from './domain/services.js';
import {
  BEST_FIRST_KEYS,
  Campaign,
  DecisionRule,
  type ICampaign,
  type IDecisionRule,
  type IOffer,
  type IOfferRule,
  type IPromotion,
  Offer,
  OfferRule,
  type OfferStatus,
  offerKey,
  offerStatusFilter,
  openAt,
  PromotionRow,
} from './entities/index.js';

export type PromotionLoaders = ReturnType<typeof createPromotionLoaders>;

export function createPromotionLoaders(em: EntityManager, principal: Principal, services: PromotionServices) {
  const scope = offerScope(principal);
  const now = services.clock.now();
  const none = () => Promise.resolve([] as IOffer[]);
  // Pages of a parent's offers, best first: one statement per page request and status filter, however many parents.
  const customerOffers = parentPages<IOffer, OfferStatus[] | null>(
    (parents, page, statuses) =>
      scope
        ? windowByParent(em, Offer, 'customerId', parents, { $and: [scope, offerStatusFilter(statuses, now)] }, BEST_FIRST_KEYS, page)
        : none(),
    { sort: 'BEST', arity: 3, keyOf: offerKey, parentOf: (o) => o.customerId ?? null },
  );
  // About a product: the caller's own open offers (customers) and the storefront's public ones.
  // Everything here is within the request's storefront, and only when the principal's brands include it.
  const storefrontId = actingStorefront(principal);
  const productScope: FilterQuery<IOffer> | null = storefrontId
    ? {
        storefrontId,
        customerId: principal.kind === 'customer' && principal.id ? { $in: [principal.id, null] } : null,
      }
    : null;
  return {
    /**
     * Names and descriptions in the request's language: its locale, its language, the storefront's
     * locale (asked of the catalog once per request, only when a text is read), its language, the stored text.
     */
    text: requestTexts(
      em,
      'promotion',
      principal.locale,
      storefrontId ? memo(() => storefrontLocale(services.peers, principal).catch(() => null)) : undefined,
    ).text,
    /** Staff: every stored translation of a promotion. */
    translations: allTranslationsLoader(em, 'promotion', 'promotion'),
    ...createCampaignLoaders(em, principal, services),
    now,
    scope,
    // Offers the principal may see (`Query.offer`, `_entities`).
    offer: byId<IOffer>(
      (ids) => (scope ? em.find(Offer, { $and: [scope, { id: { $in: [...ids] } }] }) : Promise.resolve([])),
      (o) => o.id,
    ),
    customerOffers,
    productOffers: parentPages<IOffer>(
      (parents, page) =>
        productScope
          ? windowByParent(em, Offer, 'productId', parents, { $and: [productScope, openAt(now)] }, BEST_FIRST_KEYS, page)
          : none(),
      { sort: 'BEST', arity: 3, keyOf: offerKey, parentOf: (o) => o.productId ?? null, defaultSize: 5, max: 20 },
    ),
    // Rows of the caller's storefront only (staff CRUD, Campaign/OfferRule.promotion, `_entities`).
    promotion: byId<IPromotion>(
      (ids) => (storefrontId ? em.find(PromotionRow, { id: { $in: [...ids] }, storefrontId }) : Promise.resolve([])),
      (p) => p.id,
    ),
    offerRule: byId<IOfferRule>(
      (ids) => (storefrontId ? em.find(OfferRule, { id: { $in: [...ids] }, storefrontId }) : Promise.resolve([])),
      (r) => r.id,
    ),
    // Decision rules of the caller's storefront (Decision.rule, DecisionRuleKpi.rule, `_entities`).
    decisionRule: byId<IDecisionRule>(
      (ids) => (storefrontId ? em.find(DecisionRule, { id: { $in: [...ids] }, storefrontId }) : Promise.resolve([])),
      (r) => r.id,
    ),
    campaign: byId<ICampaign>(
      (ids) => (storefrontId ? em.find(Campaign, { id: { $in: [...ids] }, storefrontId }) : Promise.resolve([])),
      (c) => c.id,
    ),
  };
}
